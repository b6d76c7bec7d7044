/**
 * Account-wide collection benchmark. `export run()` for bench/run.ts; also runnable alone (`node dist/bench/account.js`).
 * Against the emulator with 50 ms latency on every reply, 2 s report jobs and IAM's kind of throttling (a token bucket
 * per account and API family, 20 requests/s, burst 20):
 * - 200 roles collected by collectAccounts (one GetAccountAuthorizationDetails, then the report jobs in a rolling
 *   window): wall time against the floor the bucket allows (the strictly necessary calls of the busiest family beyond
 *   the burst ÷ the rate, plus one job), and API calls per role;
 * - the same 200 roles collected one after another with collectSnapshot, as a per-role script would
 *   (LEASTPRIV_BENCH_SEQUENTIAL=20 times the first 20 and scales the figure up instead, for a quick run);
 * - two accounts of 200 roles each, reached with sts:AssumeRole: wall time against one account's alone.
 */
import { pathToFileURL } from 'node:url';
import { startEmulator, type EmulatorFixture, type FaultOptions, type RunningEmulator } from '../emulator/index.js';
import type { ApiCallEvent } from '../src/collect/call.js';
import { collectAccounts } from '../src/collect/account/collect-accounts.js';
import type { AccountRunOptions } from '../src/collect/account/types.js';
import { createAwsClients, destroyAwsClients } from '../src/collect/clients.js';
import { collectSnapshot } from '../src/collect/collect-snapshot.js';
import { apiFamily } from '../src/collect/rate/api-family.js';
import type { BenchLine } from './collect.js';

const HOME = '111122223333';
const MEMBERS = ['222233334444', '333344445555'] as const;
const ROLES = 200;
const LATENCY_MS = 50;
const JOB_MS = 2000;
const BUCKET = { ratePerSecond: 20, burst: 20 } as const;
const FAULTS: FaultOptions = { latencyMs: LATENCY_MS, jobCompletionMs: JOB_MS, tokenBucket: BUCKET };
const AUDIT_ROLE = 'LeastprivAudit';
const CREDENTIALS = { accessKeyId: 'AKIDBENCHACCOUNT', secretAccessKey: 'not-checked' };

const allow = (...actions: string[]): Record<string, unknown> => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }],
});

/** 200 roles from one template, each with an inline policy, a shared customer-managed policy and some use */
function accountContent(account: string): Pick<EmulatorFixture, 'policies' | 'generate' | 'roles'> {
  return {
    policies: [{ name: 'shared-read', document: allow('dynamodb:GetItem', 'dynamodb:Query', 'logs:PutLogEvents') }],
    generate: {
      roles: [
        {
          count: ROLES,
          name: 'app-{i}',
          pad: 3,
          inlinePolicies: [{ name: 'work', document: allow('s3:*', 'sqs:*', 'ec2:Describe*') }],
          attachedPolicies: [`arn:aws:iam::${account}:policy/shared-read`],
          usage: [
            { service: 's3', action: 'GetObject', time: '2026-10-20T10:00:00Z' },
            { service: 'ec2', action: 'DescribeInstances', time: '2026-10-21T10:00:00Z' },
          ],
        },
      ],
    },
  };
}

function fixture(): EmulatorFixture {
  const auditRole = {
    name: AUDIT_ROLE,
    assumeRolePolicyDocument: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${HOME}:root` }, Action: 'sts:AssumeRole' }],
    },
  };
  return {
    accountId: HOME,
    now: '2026-11-30T12:00:00Z',
    ...accountContent(HOME),
    memberAccounts: MEMBERS.map((accountId) => ({ accountId, roles: [auditRole], ...accountContent(accountId) })),
  };
}

interface Run {
  ms: number;
  calls: ApiCallEvent[];
  collected: number;
  failed: number;
}

async function accountRun(emulator: RunningEmulator, scope: AccountRunOptions['scope']): Promise<Run> {
  const calls: ApiCallEvent[] = [];
  let collected = 0;
  let failed = 0;
  const started = performance.now();
  await collectAccounts({
    endpoint: emulator.endpoint,
    region: 'us-east-1',
    credentials: CREDENTIALS,
    selection: { roles: true, users: false, groups: false, policies: false, include: ['app-*'] },
    ...(scope !== undefined ? { scope, assumeRoleName: AUDIT_ROLE } : {}),
    onApiCall: (e) => calls.push(e),
    onEvent: (e) => {
      if (e.kind === 'collected') collected++;
      if (e.kind === 'failed' || e.kind === 'account-failed') failed++;
    },
  });
  return { ms: performance.now() - started, calls, collected, failed };
}

/** The floor the bucket allows: each family's calls beyond its burst at the bucket's rate (the slowest family), plus one job. */
function floorMs(calls: readonly ApiCallEvent[]): number {
  const byFamily = new Map<string, number>();
  for (const c of calls) {
    // strictly necessary: the listing, each job's start and one read of it (extra polls are the collector's cost)
    if (c.action === 'iam:GetServiceLastAccessedDetails') continue;
    const [service = '', operation = ''] = c.action.split(':');
    const family = apiFamily(service as 'iam', operation);
    byFamily.set(family, (byFamily.get(family) ?? 0) + 1);
  }
  // one GetServiceLastAccessedDetails per job
  const jobs = calls.filter((c) => c.action === 'iam:GenerateServiceLastAccessedDetails').length;
  const report = apiFamily('iam', 'GetServiceLastAccessedDetails');
  byFamily.set(report, (byFamily.get(report) ?? 0) + jobs);
  const slowest = Math.max(...[...byFamily.values()].map((n) => Math.max(0, n - BUCKET.burst) / BUCKET.ratePerSecond));
  return slowest * 1000 + JOB_MS;
}

async function sequential(emulator: RunningEmulator, count: number): Promise<number> {
  const clients = await createAwsClients({ endpoint: emulator.endpoint, region: 'us-east-1', credentials: CREDENTIALS });
  try {
    const started = performance.now();
    for (let i = 0; i < count; i++) {
      await collectSnapshot({ principal: { type: 'role', name: `app-${String(i).padStart(3, '0')}` }, clients });
    }
    return performance.now() - started;
  } finally {
    destroyAwsClients(clients);
  }
}

async function withEmulator<T>(body: (emulator: RunningEmulator) => Promise<T>): Promise<T> {
  const emulator = await startEmulator({ fixture: fixture(), faults: FAULTS });
  try {
    return await body(emulator);
  } finally {
    await emulator.stop();
  }
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

export async function run(): Promise<BenchLine[]> {
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  const conditions = `${LATENCY_MS} ms latency, ${JOB_MS / 1000} s jobs, token bucket ${BUCKET.ratePerSecond}/s burst ${BUCKET.burst}`;
  const one = await withEmulator((e) => accountRun(e, undefined));
  const floor = floorMs(one.calls);
  const sample = Number(process.env['LEASTPRIV_BENCH_SEQUENTIAL'] ?? ROLES);
  const count = Number.isInteger(sample) && sample > 0 && sample < ROLES ? sample : ROLES;
  const seqMs = ((await withEmulator((e) => sequential(e, count))) * ROLES) / count;
  const single = await withEmulator((e) => accountRun(e, { kind: 'list', ids: [MEMBERS[0]] }));
  const two = await withEmulator((e) => accountRun(e, { kind: 'list', ids: [...MEMBERS] }));
  return [
    {
      name: `collect ${ROLES} roles of one account (${conditions})`,
      value:
        `${seconds(one.ms)} wall vs a floor of ${seconds(floor)}: ${(one.ms / floor).toFixed(2)}× the floor (target ≤ 1.3×); ` +
        `${(one.calls.length / ROLES).toFixed(2)} API calls per role (target ≤ 4); ${one.collected} collected, ${one.failed} failed`,
    },
    {
      name: `the same ${ROLES} roles one after another (collectSnapshot per role, as a per-role script)`,
      value:
        `${seconds(seqMs)}${count < ROLES ? ` (the first ${count} timed, scaled to ${ROLES})` : ''}: ` +
        `the account-wide run is ${(seqMs / one.ms).toFixed(1)}× faster (target ≥ 20×)`,
    },
    {
      name: `two accounts of ${ROLES} roles via sts:AssumeRole, in parallel`,
      value:
        `${seconds(two.ms)} vs ${seconds(single.ms)} for one of them alone (${(two.ms / single.ms).toFixed(2)}×); ` +
        `${two.collected} collected, ${two.failed} failed`,
    },
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const l of await run()) console.log(`${l.name}: ${l.value}`);
}
