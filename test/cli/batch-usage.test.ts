/**
 * The account-wide flags: every misuse one line on stderr, exit 1, before any call (the fake collector is never
 * called) and before anything is written; the help text names them.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fakeCollector } from '../batch/fake-collector.js';
import { runBatchCli } from '../batch/run.js';

const dir = mkdtempSync(join(tmpdir(), 'leastpriv-batch-usage-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const out = join(dir, 'never-written');

describe('account-wide flag errors', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['no --all-*', ['recommend', '--accounts', '111122223333', '--assume-role-name', 'audit', '--out', out, '--path-prefix', '/'], /^recommend: name what to take with --all-roles, --all-users, --all-groups or --all-policies \(or replay/],
    ['a collecting flag in the replay', ['recommend', '--snapshot-dir', out, '--include', 'a*', '--out', out], /^recommend: --snapshot-dir without --all-\* replays saved snapshots offline, so --include has nothing to do/],
    ['collect with no --all-*', ['collect', '--snapshot-dir', out], /^collect: name what to take with --all-roles, --all-users, --all-groups or --all-policies/],
    ['--resume without --snapshot-dir', ['recommend', '--all-roles', '--resume', '--out', out], /^recommend: --resume picks up from the snapshots of an earlier run: it needs --snapshot-dir DIR/],
    ['--accounts with a bad id', ['recommend', '--all-roles', '--accounts', '111122223333,12345', '--assume-role-name', 'audit', '--out', out], /^--accounts: "12345" is not a 12-digit account id/],
    ['--accounts without --assume-role-name', ['recommend', '--all-roles', '--accounts', '111122223333', '--out', out], /^recommend: --accounts reads each account through a role: give --assume-role-name NAME/],
    ['--organization without --assume-role-name', ['collect', '--all-roles', '--organization', '--snapshot-dir', out], /^collect: --organization reads each account through a role/],
    ['--organization with --accounts', ['recommend', '--all-roles', '--organization', '--accounts', '111122223333', '--assume-role-name', 'a', '--out', out], /^recommend: --accounts lists the accounts, --organization takes them all: give one of the two/],
    ['--assume-role-name alone', ['recommend', '--all-roles', '--assume-role-name', 'audit', '--out', out], /^recommend: --assume-role-name is the role assumed in each of --accounts or --organization/],
    ['--snapshot-dir with --snapshot', ['recommend', '--snapshot-dir', out, '--snapshot', 'x.json', '--out', out], /^recommend: --snapshot reads one snapshot file; --snapshot-dir a folder of them: give one of the two/],
    ['--all-roles with --role-arn', ['recommend', '--all-roles', '--role-arn', 'arn:aws:iam::111122223333:role/a', '--out', out], /^recommend: --role-arn names one subject, an account-wide run takes them all/],
    ['no --out', ['recommend', '--all-roles'], /^recommend: an account-wide run writes a folder per subject: give --out DIR/],
    ['collect without --snapshot-dir', ['collect', '--all-roles'], /^collect: an account-wide run writes a snapshot per subject: give --snapshot-dir DIR/],
    ['a bad --concurrency', ['recommend', '--all-roles', '--concurrency', '0', '--out', out], /^--concurrency: "0" is not a whole number from 1 to 100/],
    ['a bad --path-prefix', ['recommend', '--all-roles', '--path-prefix', 'app', '--out', out], /^--path-prefix: "app" is not an IAM path prefix/],
    ['an ARN as --assume-role-name', ['recommend', '--all-roles', '--organization', '--assume-role-name', 'arn:aws:iam::1:role/x', '--out', out], /^--assume-role-name: "arn:aws:iam::1:role\/x" is not a role name/],
    ['a bad --unused-days', ['recommend', '--all-roles', '--unused-days', 'lots', '--out', out], /^--unused-days: "lots" is not a whole number of days/],
    ['--format', ['recommend', '--all-roles', '--format', 'json', '--out', out], /^recommend: unknown option --format/],
  ];
  it.each(cases)('%s', async (_, argv, expected) => {
    const fake = fakeCollector([]);
    const r = await runBatchCli(argv, fake.collect);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(r.stderr.replace(/^leastpriv: error: /, '')).toMatch(expected);
    expect(fake.calls).toHaveLength(0);
    expect(existsSync(out)).toBe(false);
  });

  it('passes the flags on to the collector: selection, filters, scope, connection', async () => {
    const fake = fakeCollector([]);
    await runBatchCli(
      ['recommend', '--all-groups', '--all-policies', '--path-prefix', '/app/', '--include', 'ci-*', '--include', 'deploy-?', '--exclude', 'ci-old', '--concurrency', '4',
        '--organization', '--assume-role-name', 'OrganizationAccountAccessRole', '--external-id', 'x-1', '--endpoint-url', 'http://127.0.0.1:1', '--timeout', '90s', '--out', join(dir, 'o')],
      fake.collect,
    );
    expect(fake.calls[0]).toMatchObject({
      selection: { roles: false, users: false, groups: true, policies: true, pathPrefix: '/app/', include: ['ci-*', 'deploy-?'], exclude: ['ci-old'] },
      scope: { kind: 'organization' },
      assumeRoleName: 'OrganizationAccountAccessRole',
      externalId: 'x-1',
      concurrency: 4,
      endpoint: 'http://127.0.0.1:1',
      timeoutMs: 90_000,
    });
  });
});

describe('help', () => {
  it.each([
    [['recommend', '--help'], ['--all-roles', '--snapshot-dir DIR --out OUT', '--resume', '130 interrupted']],
    [['recommend', '--all-roles', '--help'], ['--all-policies', '--assume-role-name R', '--organization']],
    [['collect', '--help'], ['--all-roles', 'DIR/[<account-id>/]<kind>/<name>.json']],
  ])('%j names the account-wide flags', async (argv, words) => {
    const r = await runBatchCli(argv);
    expect(r.code).toBe(0);
    for (const w of words) expect(r.stdout).toContain(w);
  });
});
