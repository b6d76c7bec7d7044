/**
 * Command lines that parse but cannot mean what the user wants are usage errors (one line, exit 1), found before any
 * AWS call: an option given twice, --format with --out, a principal flag given the other kind of value. Where a
 * live run is involved the other value is an invalid name, so even a missing check could not reach AWS: it would
 * stop at that name instead of giving the expected message.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { allow, doc, inline, snapshot, unusedService } from '../support/snapshots.js';

const dir = mkdtempSync(join(tmpdir(), 'leastpriv-usage-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const snap = join(dir, 'snap.json');
writeFileSync(snap, JSON.stringify(snapshot({ policies: [inline('p', doc(allow('s3:*')))], services: [unusedService('s3')] })));

const BAD_NAME = 'no such name!';
const ROLE_ARN = 'arn:aws:iam::123456789012:role/app';

async function usageError(argv: string[]): Promise<string> {
  const r = await runCli(argv);
  expect(r.code).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(/^leastpriv: error: .* \(see 'leastpriv --help'\)\n$/);
  return r.stderr.replace(/^leastpriv: error: /, '').replace(/ \(see 'leastpriv --help'\)\n$/, '');
}

describe('an option given twice', () => {
  it.each<[string[], string]>([
    [['recommend', '--snapshot', snap, '--out', join(dir, 'a'), '--out', join(dir, 'b')], `recommend: --out is given twice (${JSON.stringify(join(dir, 'a'))} and ${JSON.stringify(join(dir, 'b'))}): give it once`],
    [['recommend', '--snapshot', snap, '--unused-days', '30', '--unused-days', '60'], 'recommend: --unused-days is given twice ("30" and "60"): give it once'],
    [['recommend', `--snapshot=${snap}`, '--snapshot', 'other.json'], `recommend: --snapshot is given twice (${JSON.stringify(snap)} and "other.json"): give it once`],
    [['collect', '--role-name', 'app', '--role-name', BAD_NAME], `collect: --role-name is given twice ("app" and ${JSON.stringify(BAD_NAME)}): give it once`],
    [['collect', '--role-name', BAD_NAME, '--timeout', '5m', '--timeout', '10m'], 'collect: --timeout is given twice ("5m" and "10m"): give it once'],
    [['recommend', '--role-name', 'app', '--role-name', BAD_NAME], `recommend: --role-name is given twice ("app" and ${JSON.stringify(BAD_NAME)}): give it once`],
    [['recommend', '--role-name', BAD_NAME, '--as-of', '2026-01-01', '--as-of', '2026-02-01'], 'recommend: --as-of is given twice ("2026-01-01" and "2026-02-01"): give it once'],
  ])('%j', async (argv, message) => {
    expect(await usageError(argv)).toBe(message);
  });

  it('a boolean flag given twice loses nothing and is accepted', async () => {
    expect((await runCli(['recommend', '--snapshot', snap, '--detailed-exitcode', '--detailed-exitcode'])).code).toBe(2);
  });
});

describe('--format with --out', () => {
  const message = 'recommend: --format chooses what to print without --out; --out writes every file (drop one of them)';
  it.each<[string[]]>([
    [['recommend', '--snapshot', snap, '--format', 'json', '--out', join(dir, 'never')]],
    [['recommend', '--snapshot', snap, '--out', join(dir, 'never'), '--format', 'md']],
    [['recommend', '--role-name', BAD_NAME, '--format', 'json', '--out', join(dir, 'never')]],
  ])('%j', async (argv) => {
    expect(await usageError(argv)).toBe(message);
  });
});

describe('a principal flag given the other kind of value suggests the right flag', () => {
  it.each<[string[], string]>([
    [['collect', '--role-name', ROLE_ARN], `--role-name: "${ROLE_ARN}" is an ARN: use --role-arn`],
    [['recommend', '--role-name', ROLE_ARN], `--role-name: "${ROLE_ARN}" is an ARN: use --role-arn`],
    [['collect', '--user-name', ROLE_ARN], `--user-name: "${ROLE_ARN}" is an ARN: use --role-arn`],
    [['collect', '--group-name', 'arn:aws:iam::123456789012:group/ops'], '--group-name: "arn:aws:iam::123456789012:group/ops" is an ARN: use --group-arn'],
    [['collect', '--group-name', 'arn:aws:s3:::bucket'], '--group-name: "arn:aws:s3:::bucket" is an ARN: use --group-arn'],
    [['collect', '--role-arn', 'app'], '--role-arn: "app" is a name, not an ARN: use --role-name'],
    [['recommend', '--user-arn', 'dana'], '--user-arn: "dana" is a name, not an ARN: use --user-name'],
  ])('%j', async (argv, message) => {
    expect(await usageError(argv)).toBe(message);
  });
});
