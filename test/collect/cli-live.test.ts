import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../emulator/index.js';
import { loadCatalog } from '../../src/catalog/load.js';
import type { Catalog } from '../../src/catalog/catalog.js';
import { main } from '../../src/cli/main.js';
import { validateSnapshot } from '../../src/snapshot/validate.js';
import { demoArn, startDemo } from './emulator-harness.js';
import { principalSubject } from '../support/subject.js';

let emulator: RunningEmulator;
let dir: string;
let catalog: Catalog;
const saved = { ...process.env };

beforeAll(async () => {
  [emulator, dir, catalog] = await Promise.all([startDemo(), mkdtemp(join(tmpdir(), 'leastpriv-cli-live-')), loadCatalog()]);
  // the default credential chain, as a user's shell would provide it
  delete process.env['AWS_PROFILE'];
  process.env['AWS_ACCESS_KEY_ID'] = 'AKIDDEMO';
  process.env['AWS_SECRET_ACCESS_KEY'] = 'not-checked';
});
afterAll(async () => {
  process.env = saved;
  await Promise.all([emulator.stop(), rm(dir, { recursive: true, force: true })]);
});

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) }, { catalog });
  return { code, stdout, stderr };
}

const aws = (): string[] => ['--endpoint-url', emulator.endpoint, '--region', 'us-east-1'];

/** runs `body` with the working directory set to a new empty folder under `dir` (a relative path lands there) */
async function inNewFolder(name: string, body: (here: string) => Promise<void>): Promise<void> {
  const cwd = process.cwd();
  const here = join(dir, name);
  await mkdir(here);
  process.chdir(here);
  try {
    await body(here);
  } finally {
    process.chdir(cwd);
  }
}

async function filesUnder(root: string): Promise<Map<string, string>> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files = new Map<string, string>();
  for (const e of entries.filter((x) => x.isFile()).sort((a, b) => join(a.parentPath, a.name).localeCompare(join(b.parentPath, b.name)))) {
    const path = join(e.parentPath, e.name);
    files.set(path.slice(root.length), await readFile(path, 'utf8'));
  }
  return files;
}

describe('leastpriv collect / recommend --role-arn against the emulator', () => {
  it.each([
    ['role', demoArn('role', 'ci/ci-deploy')],
    ['role', demoArn('role', 'pipelines/data-pipeline')],
    ['user', demoArn('user', 'dana')],
    ['group', demoArn('group', 'analysts')],
    ['policy', demoArn('policy', 'fleet-operations')],
    ['scp', 'p-wrkldallow1'],
    ['entity', 'o-demo0org01/r-dm01/ou-dm01-wrkld001'],
  ])('recommend --%s writes the same files as recommend --snapshot on the collected snapshot', async (type, arn) => {
    const snapshotFile = join(dir, `${type}-${arn.split('/').pop()}.json`);
    const flag = type === 'scp' ? '--scp-id' : type === 'entity' ? '--entity-path' : `--${type}-arn`;
    const live = await run('recommend', flag, arn, ...aws(), '--snapshot-out', snapshotFile, '--out', join(dir, 'live'));
    expect(live).toMatchObject({ code: 0, stderr: '' });
    const offline = await run('recommend', '--snapshot', snapshotFile, '--out', join(dir, 'offline'));
    expect(offline).toMatchObject({ code: 0, stderr: '' });
    // an SCP's folder is named after the SCP, which only the collection learns
    const name = type === 'scp' ? 'workloads-allowed-services' : (arn.split('/').pop() as string);
    const liveFiles = await filesUnder(join(dir, 'live', name));
    expect([...liveFiles.keys()]).toContain('/recommendation.json');
    expect(liveFiles).toEqual(await filesUnder(join(dir, 'offline', name)));
  });

  it('recommend --role-arn keeps whole a customer-managed policy whose default version the collector dates 10 days back', async () => {
    const live = await run('recommend', '--role-arn', demoArn('role', 'reporting'), ...aws(), '--format', 'json');
    expect(live).toMatchObject({ code: 0, stderr: '' });
    const rec = JSON.parse(live.stdout) as { policies: { policyName: string; action: string; reason: string; evidence?: unknown }[] };
    expect(rec.policies.find((p) => p.policyName === 'reporting-exports')).toMatchObject({
      action: 'keep',
      reason: 'policy-version-too-recent',
      evidence: { versionId: 'v2', versionCreateDate: '2026-10-22T09:00:00.000Z', daysSinceVersion: 10, thresholdDays: 90 },
    });
  });

  it('recommend --group-arn names the members behind each kept service, and that none used a removed one', async () => {
    const md = await run('recommend', '--group-arn', demoArn('group', 'analysts'), ...aws());
    expect(md).toMatchObject({ code: 0, stderr: '' });
    // dana and wide-user are members; only dana ran Athena queries
    expect(md.stdout).toContain('**Who used the services that stay**\n\n- `athena`: `dana` 2026-10-30 15:14 UTC; 1 member never used it\n');
    expect(md.stdout).toContain('**Who used the services that go**\n\n- `cloudwatch`: no member used it since 2025-09-27 12:00 UTC, when the data begins\n');
    const json = await run('recommend', '--group-arn', demoArn('group', 'analysts'), ...aws(), '--format', 'json');
    const rec = JSON.parse(json.stdout) as { entityUse?: { service: string; entities: { name: string; lastAuthenticated?: string }[] }[] };
    expect(rec.entityUse?.find((u) => u.service === 'athena')?.entities).toEqual([
      { type: 'USER', arn: demoArn('user', 'dana'), name: 'dana', lastAuthenticated: '2026-10-30T15:14:00.000Z' },
      { type: 'USER', arn: demoArn('user', 'wide-user'), name: 'wide-user' },
    ]);
  });

  it('collect --role-name writes a valid snapshot atomically (nothing else left in the folder)', async () => {
    const out = join(dir, 'collect-only');
    await rm(out, { recursive: true, force: true });
    await mkdir(out);
    const result = await run('collect', '--role-name', 'orders-lambda', ...aws(), '--snapshot-out', join(out, 'snap.json'));
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^collected arn:aws:iam::111122223333:role\/service-role\/orders-lambda: 2 policies, \d+ services in the report; wrote .*snap\.json\n$/);
    expect(await readdir(out)).toEqual(['snap.json']);
    const snapshot = validateSnapshot(JSON.parse(await readFile(join(out, 'snap.json'), 'utf8')));
    expect(principalSubject(snapshot).principal.Name).toBe('orders-lambda');
    expect(snapshot.collection).toMatchObject({ Source: 'aws', Region: 'us-east-1' });
  });

  it.each([
    ['--group-arn', demoArn('group', 'analysts'), demoArn('group', 'analysts')],
    ['--group-name', 'analysts', demoArn('group', 'analysts')],
    ['--user-name', 'dana', demoArn('user', 'dana')],
  ])('collect %s without --snapshot-out prints the snapshot JSON', async (flag, value, arn) => {
    const result = await run('collect', flag, value, ...aws());
    expect(result.code).toBe(0);
    expect(principalSubject(validateSnapshot(JSON.parse(result.stdout))).principal.Arn).toBe(arn);
  });

  it('collect --snapshot-out - prints the snapshot on stdout and writes no file named -', async () => {
    await inNewFolder('dash-collect', async (here) => {
      const result = await run('collect', '--role-name', 'orders-lambda', ...aws(), '--snapshot-out', '-');
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(principalSubject(validateSnapshot(JSON.parse(result.stdout))).principal.Name).toBe('orders-lambda');
      expect(await readdir(here)).toEqual([]);
    });
  });

  it('recommend --snapshot-out - --out DIR: the snapshot alone on stdout, the written folder named on stderr', async () => {
    await inNewFolder('dash-recommend', async (here) => {
      const result = await run('recommend', '--role-name', 'orders-lambda', ...aws(), '--snapshot-out', '-', '--out', 'out');
      expect(result.code).toBe(0);
      expect(principalSubject(validateSnapshot(JSON.parse(result.stdout))).principal.Name).toBe('orders-lambda');
      expect(result.stderr).toContain(join('out', 'orders-lambda'));
      expect(await readdir(here)).toEqual(['out']);
      expect(await readdir(join(here, 'out', 'orders-lambda'))).toContain('recommendation.json');
    });
  });

  it('--profile picks the profile\'s credentials: denied GetPolicyVersion gives one line naming the action, no file', async () => {
    const config = join(dir, 'aws-config');
    const credentials = join(dir, 'aws-credentials');
    await writeFile(config, '[profile limited]\nregion = us-east-1\n');
    await writeFile(credentials, '[limited]\naws_access_key_id = AKIDNOVERSIONS\naws_secret_access_key = not-checked\n');
    process.env['AWS_CONFIG_FILE'] = config;
    process.env['AWS_SHARED_CREDENTIALS_FILE'] = credentials;
    try {
      const target = join(dir, 'denied.json');
      const result = await run('collect', '--role-name', 'orders-lambda', '--profile', 'limited', '--endpoint-url', emulator.endpoint, '--snapshot-out', target);
      expect(result).toEqual({
        code: 1,
        stdout: '',
        stderr:
          'leastpriv: error: access denied: the caller lacks iam:GetPolicyVersion (on arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole).' +
          ' See docs/required-permissions.json\n',
      });
      await expect(readFile(target)).rejects.toThrow();
    } finally {
      delete process.env['AWS_CONFIG_FILE'];
      delete process.env['AWS_SHARED_CREDENTIALS_FILE'];
    }
  });

  it('a missing role is one line naming the account, and writes nothing', async () => {
    const result = await run('recommend', '--role-name', 'ghost', ...aws(), '--out', join(dir, 'ghost-out'));
    expect(result).toEqual({ code: 1, stdout: '', stderr: 'leastpriv: error: role ghost not found in account 111122223333\n' });
    await expect(readdir(join(dir, 'ghost-out'))).rejects.toThrow();
  });

  it.each([
    [['collect', ...['--role-name', 'a', '--user-arn', demoArn('user', 'dana')]], 'collect: give only one of --role-name, --user-arn'],
    [['collect'], 'collect: name what to collect with --role-arn, --role-name, --user-arn, --user-name, --group-arn, --group-name, --policy-arn, --scp-id or --entity-path'],
    [['collect', '--role-name', 'a', '--timeout', '5x'], '--timeout: "5x" is not a duration such as 600, 90s or 10m'],
    [['collect', '--role-name', 'a', '--endpoint-url', 'localhost:1'], '--endpoint-url: "localhost:1" is not an http(s) URL'],
    [['collect', '--role-name', 'a', '--bogus'], 'collect: unknown option --bogus'],
    [['recommend', '--role-name', 'a', '--snapshot', 'x.json'], 'recommend: --snapshot reads a saved snapshot; it cannot be combined with a flag naming what to collect (--role-arn, --policy-arn, …)'],
    [['recommend', '--role-name', 'a', '--format', 'yaml'], '--format: "yaml" is not md or json'],
    // values starting with '-' reach the option's own check (before any AWS call); a flag where a value belongs is named
    [['collect', '--role-name', 'a', '--timeout', '-5'], '--timeout: "-5" is not a duration such as 600, 90s or 10m'],
    [['recommend', '--timeout', '-5', '--role-name', 'a'], '--timeout: "-5" is not a duration such as 600, 90s or 10m'],
    [['recommend', '--role-name', 'a', '--unused-days', '-3'], '--unused-days: "-3" is not a whole number of days from 1 to 3650'],
    [['recommend', '--role-name', '--unused-days', '30'], 'recommend: --role-name needs a value'],
    [['collect', '--role-arn', '--timeout', '5m'], 'collect: --role-arn needs a value'],
    [
      ['recommend', '--role-name', 'a', '--snapshot-out', '-'],
      'recommend: --snapshot-out - prints the snapshot on stdout, where the recommendation goes without --out: give --out DIR or a file name',
    ],
  ])('usage error %j', async (argv, message) => {
    const result = await run(...argv);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`leastpriv: error: ${message} (see 'leastpriv --help')\n`);
  });

  it('a bad ARN is an input error before any call', async () => {
    const result = await run('collect', '--user-arn', demoArn('role', 'x'));
    expect(result.stderr).toBe(`leastpriv: error: '${demoArn('role', 'x')}' is a role ARN, not a user ARN\n`);
  });
});
