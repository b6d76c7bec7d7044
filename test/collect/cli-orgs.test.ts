import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../emulator/index.js';
import { takeExemptPrincipals } from '../../src/cli/commands/recommend-live.js';
import { main } from '../../src/cli/main.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import { startDemo } from './emulator-harness.js';

/** `collect --scp-id / --entity-path` and the Organizations flags of `recommend`, through main() against the emulator. */
const ROOT_PATH = 'o-demo0org01/r-dm01';
const WORKLOADS_PATH = `${ROOT_PATH}/ou-dm01-wrkld001`;

let emulator: RunningEmulator;
let dir: string;
const saved = { ...process.env };
let calls: () => number;

beforeAll(async () => {
  [emulator, dir] = await Promise.all([startDemo(), mkdtemp(join(tmpdir(), 'leastpriv-cli-orgs-'))]);
  delete process.env['AWS_PROFILE'];
  process.env['AWS_ACCESS_KEY_ID'] = 'AKIDDEMO';
  process.env['AWS_SECRET_ACCESS_KEY'] = 'not-checked';
  calls = () => Object.values(emulator.stats().calls).reduce((a, b) => a + (b ?? 0), 0);
});
afterAll(async () => {
  process.env = saved;
  await Promise.all([emulator.stop(), rm(dir, { recursive: true, force: true })]);
});

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

const aws = (): string[] => ['--endpoint-url', emulator.endpoint, '--region', 'us-east-1'];

describe('collect --scp-id / --entity-path', () => {
  it('writes the SCP snapshot and says what it collected in one line', async () => {
    const file = join(dir, 'scp.json');
    const result = await run('collect', '--scp-id', 'p-wrkldallow1', ...aws(), '--snapshot-out', file);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      `collected SCP workloads-allowed-services (p-wrkldallow1): attached to 1 target, applies to 3 member accounts, 10 services in the report; wrote ${file}\n`,
    );
    const snapshot = JSON.parse(await readFile(file, 'utf8')) as Snapshot;
    expect(snapshot.subject.Kind).toBe('scp');
    expect(snapshot.report).toMatchObject({ Kind: 'organizations-access', EntityPath: ROOT_PATH, OrganizationsPolicyId: 'p-wrkldallow1' });
  });

  it('writes the entity snapshot', async () => {
    const file = join(dir, 'workloads.json');
    const result = await run('collect', '--entity-path', WORKLOADS_PATH, ...aws(), '--snapshot-out', file);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      `collected ${WORKLOADS_PATH}: 3 member accounts below, 1 SCP attached, 10 services in the report; wrote ${file}\n`,
    );
  });

  it("the management account's path: one line, exit 1, nothing written", async () => {
    const file = join(dir, 'mgmt.json');
    const result = await run('collect', '--entity-path', `${ROOT_PATH}/111122223333`, ...aws(), '--snapshot-out', file);
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: `leastpriv: error: ${ROOT_PATH}/111122223333 is the management account: SCPs do not apply to the management account\n`,
    });
    await expect(readFile(file)).rejects.toThrow();
  });

  it('an unknown SCP: one line', async () => {
    const result = await run('collect', '--scp-id', 'p-nosuchpol1', ...aws());
    expect(result.stderr).toBe('leastpriv: error: SCP p-nosuchpol1 not found in the organization (PolicyNotFoundException)\n');
    expect(result.code).not.toBe(0);
  });

  it.each([
    [['collect', '--scp-id', 'policy-1'], '--scp-id: bad SCP id "policy-1": expected p- and 8 to 128 letters, digits or underscores (p-examplepolicyid111)'],
    [
      ['collect', '--entity-path', 'o-demo0org01/ou-dm01-wrkld001'],
      '--entity-path: bad entity path "o-demo0org01/ou-dm01-wrkld001": "ou-dm01-wrkld001" is not a root id (r-…); expected o-…/r-…[/ou-…]…[/account-id]',
    ],
    [
      ['collect', '--entity-path', `${ROOT_PATH}/111122223333/ou-dm01-wrkld001`],
      `--entity-path: bad entity path "${ROOT_PATH}/111122223333/ou-dm01-wrkld001": "111122223333" is not an OU id (ou-…) or, last, a 12-digit account id; expected o-…/r-…[/ou-…]…[/account-id]`,
    ],
    [['collect', '--scp-id', 'p-wrkldallow1', '--entity-path', ROOT_PATH], 'collect: give only one of --scp-id, --entity-path'],
    [['recommend', '--scp-id', 'p-wrkldallow1', '--exempt-principal-arn', 'arn:aws:iam::*:role/x'], 'recommend: --exempt-principal-arn exempts principals from a guardrail: it goes with --entity-path'],
    [['recommend', '--entity-path', ROOT_PATH, '--exempt-principal-arn'], '--exempt-principal-arn needs an ARN pattern'],
    [['recommend', '--entity-path', ROOT_PATH, '--exempt-principal-arn', 'break-glass'], '--exempt-principal-arn: "break-glass" is not a principal ARN pattern such as arn:aws:iam::*:role/break-glass'],
  ])('usage error before any call %j', async (argv, message) => {
    const before = calls();
    const result = await run(...argv, ...aws());
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`leastpriv: error: ${message} (see 'leastpriv --help')\n`);
    expect(calls()).toBe(before);
  });
});

describe('recommend --out is checked before any call', () => {
  it('--scp-id: --out itself (the SCP names its folder only once read)', async () => {
    const file = join(dir, 'not-a-folder');
    await writeFile(file, 'x');
    const before = calls();
    const result = await run('recommend', '--scp-id', 'p-wrkldallow1', ...aws(), '--out', file);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(new RegExp(`^leastpriv: error: --out ${file}`));
    expect(calls()).toBe(before);
  });

  it("--entity-path: the entity's folder, named after the path's last segment", async () => {
    const out = join(dir, 'out-entity');
    await mkdir(join(out, 'ou-dm01-wrkld001'), { recursive: true });
    await writeFile(join(out, 'ou-dm01-wrkld001', 'notes.txt'), 'mine');
    const before = calls();
    const result = await run('recommend', '--entity-path', WORKLOADS_PATH, ...aws(), '--out', out);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(join(out, 'ou-dm01-wrkld001'));
    expect(calls()).toBe(before);
  });
});

describe('--exempt-principal-arn', () => {
  it('is repeatable, in both spellings, and leaves every other token in order', () => {
    expect(
      takeExemptPrincipals([
        '--entity-path',
        ROOT_PATH,
        '--exempt-principal-arn',
        'arn:aws:iam::*:role/break-glass',
        '--out',
        'o',
        '--exempt-principal-arn=arn:aws:sts::111122223333:assumed-role/Admin/*',
      ]),
    ).toEqual({
      exempt: ['arn:aws:iam::*:role/break-glass', 'arn:aws:sts::111122223333:assumed-role/Admin/*'],
      rest: ['--entity-path', ROOT_PATH, '--out', 'o'],
    });
  });
});
