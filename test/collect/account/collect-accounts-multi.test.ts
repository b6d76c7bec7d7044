import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorFixture, type RunningEmulator } from '../../../emulator/index.js';
import type { AccountSelection } from '../../../src/collect/account/types.js';
import { principalSubject } from '../../support/subject.js';
import { DEMO_ACCOUNT } from '../emulator-harness.js';
import { accountFixture, demoArn, runAgainst } from './account-harness.js';

const ROLES: AccountSelection = { roles: true, users: false, groups: false, policies: false };
const JOB_MS = 40;
const MEMBER = '222233334444';
const NO_ROLE = '333344445555';
const DENIED = '444455556666';
const allow = (action: string) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });

/** the role leastpriv assumes: trusts the home account's root, with an external id */
const auditRole = {
  name: 'Audit',
  assumeRolePolicyDocument: {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${DEMO_ACCOUNT}:root` },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'sts:ExternalId': 'ext-123' } },
      },
    ],
  },
};

function multiAccountFixture(): EmulatorFixture {
  const fixture = accountFixture();
  fixture.memberAccounts = [
    { accountId: MEMBER, roles: [auditRole], generate: { roles: [{ count: 3, name: 'app-{i}', inlinePolicies: [{ name: 'own', document: allow('sqs:SendMessage') }] }] } },
    // no Audit role here: AssumeRole is refused
    { accountId: NO_ROLE, roles: [{ name: 'other' }] },
    // the role is there, but it may not list the account
    { accountId: DENIED, denied: ['iam:GetAccountAuthorizationDetails'], roles: [auditRole, { name: 'x' }] },
  ];
  return fixture;
}

let emulator: RunningEmulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

describe('collectAccounts over several accounts through STS AssumeRole', () => {
  it('collects each reachable account from its own session; an account that refuses fails alone, in one line', async () => {
    emulator = await startEmulator({ fixture: multiAccountFixture(), faults: { jobCompletionMs: JOB_MS } });
    const run = await runAgainst(emulator, {
      selection: ROLES,
      scope: { kind: 'list', ids: [NO_ROLE, MEMBER, DENIED] },
      assumeRoleName: 'Audit',
      externalId: 'ext-123',
    });
    const accountFailures = run.events.flatMap((e) => (e.kind === 'account-failed' ? [`${e.account}: ${e.error}`] : []));
    expect(accountFailures.sort()).toEqual([
      `${NO_ROLE}: cannot assume arn:aws:iam::${NO_ROLE}:role/Audit (AccessDenied): the role is missing in that account, its trust policy does not allow the caller (or asks for another --external-id), or the caller lacks sts:AssumeRole`,
      `${DENIED}: access denied: the caller lacks iam:GetAccountAuthorizationDetails (on account ${DENIED}). See docs/required-permissions.json`,
    ]);
    expect([...run.collected.keys()].sort()).toEqual([`${MEMBER}/role/Audit`, `${MEMBER}/role/app-0`, `${MEMBER}/role/app-1`, `${MEMBER}/role/app-2`]);
    expect(run.failed).toEqual(new Map());
    const app = run.collected.get(`${MEMBER}/role/app-1`)!;
    expect(principalSubject(app).principal.Arn).toBe(`arn:aws:iam::${MEMBER}:role/app-1`);
    expect(principalSubject(app).policies.map((p) => p.PolicyDocument)).toEqual([allow('sqs:SendMessage')]);
    // only the member accounts were listed: the home account's roles are not in the run
    expect(run.events.filter((e) => e.kind === 'planned').map((e) => (e.kind === 'planned' ? e.account : ''))).toEqual([MEMBER]);
  });

  it('passes the external id: without it the trust policy refuses every account', async () => {
    emulator = await startEmulator({ fixture: multiAccountFixture(), faults: { jobCompletionMs: JOB_MS } });
    const run = await runAgainst(emulator, { selection: ROLES, scope: { kind: 'list', ids: [MEMBER] }, assumeRoleName: 'Audit' });
    expect(run.events.map((e) => e.kind)).toEqual(['account-failed']);
    expect(run.collected.size).toBe(0);
  });
});

describe('collectAccounts: one subject changes or is refused during the run', () => {
  it('a role deleted after the listing fails with the listing line; the others are collected', async () => {
    const gone = demoArn('role', 'reporting');
    let deleted = false;
    const running: RunningEmulator = await startEmulator({
      fixture: accountFixture(),
      faults: { jobCompletionMs: JOB_MS },
      onRequest: ({ operation, params }) => {
        // the role disappears between the listing and its report job, as when someone deletes it mid-run
        if (operation === 'GenerateServiceLastAccessedDetails' && !deleted && (params as URLSearchParams).get('Arn') === gone) {
          deleted = true;
          running.deleteEntity(gone);
        }
      },
    });
    emulator = running;
    const run = await runAgainst(running, { selection: ROLES });
    expect(run.failed).toEqual(
      new Map([[`${DEMO_ACCOUNT}/role/reporting`, 'role reporting was listed by GetAccountAuthorizationDetails and deleted before its report (NoSuchEntity)']]),
    );
    expect(run.collected.size).toBe(6);
  });

  it('AccessDenied on one role\'s report fails that role only', async () => {
    const fixture = accountFixture();
    const secret = demoArn('role', 'ci/ci-deploy');
    fixture.callers = [
      ...(fixture.callers ?? []),
      { accessKeyId: 'AKIDPARTIAL', arn: demoArn('user', 'partial'), deniedOn: [{ action: 'iam:GenerateServiceLastAccessedDetails', resource: secret }] },
    ];
    emulator = await startEmulator({ fixture, faults: { jobCompletionMs: JOB_MS } });
    const run = await runAgainst(emulator, { selection: ROLES, accessKeyId: 'AKIDPARTIAL' });
    expect(run.failed).toEqual(
      new Map([
        [
          `${DEMO_ACCOUNT}/role/ci-deploy`,
          `access denied: the caller lacks iam:GenerateServiceLastAccessedDetails (on ${secret}). See docs/required-permissions.json`,
        ],
      ]),
    );
    expect(run.collected.size).toBe(6);
  });
});
