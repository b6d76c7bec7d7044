/**
 * The command line never destroys a user's files: `--out` next to a folder or file named like the principal, and
 * `--snapshot-out` onto a file that is not a leastpriv snapshot, are refused with one line and exit 1, nothing
 * touched; and a live run checks its output paths before it makes a single AWS call.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../emulator/index.js';
import type { Catalog } from '../../src/catalog/catalog.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { demoArn, startDemo } from '../collect/emulator-harness.js';
import { cliRunner, useEnvironmentCredentials } from '../support/cli.js';

const SNAPSHOT = join(import.meta.dirname, '../../policies-examples/young-role/snapshot.json');
const NAME = 'reporting-exporter';

let dir: string;
let catalog: Catalog;
let emulator: RunningEmulator;
let restoreEnv: () => void;
const run = cliRunner(() => catalog);

beforeAll(async () => {
  [dir, catalog, emulator] = await Promise.all([mkdtemp(join(tmpdir(), 'leastpriv-out-safety-')), loadCatalog(), startDemo()]);
  restoreEnv = useEnvironmentCredentials();
});
afterAll(async () => {
  restoreEnv();
  await Promise.all([emulator.stop(), rm(dir, { recursive: true, force: true })]);
});

const callsMade = (): number => Object.values(emulator.stats().calls).reduce((a, b) => a + b, 0);

describe('--out never replaces what leastpriv did not write', () => {
  it('refuses a Terraform module folder named like the principal, and leaves it as it was', async () => {
    const out = join(dir, 'terraform');
    await mkdir(join(out, NAME), { recursive: true });
    await writeFile(join(out, NAME, 'main.tf'), 'resource "aws_iam_role" "r" {}\n');
    const r = await run('recommend', '--snapshot', SNAPSHOT, '--out', out);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `leastpriv: error: ${join(out, NAME)} holds main.tf: leastpriv replaces only what it wrote, so nothing was changed (move it away or choose another path)\n`,
    );
    expect(await readdir(join(out, NAME))).toEqual(['main.tf']);
    expect(await readdir(out)).toEqual([NAME]);
  });

  it('refuses a plain file named like the principal', async () => {
    const out = join(dir, 'plain');
    await mkdir(out);
    await writeFile(join(out, NAME), 'notes');
    const r = await run('recommend', '--snapshot', SNAPSHOT, '--out', out);
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toMatch(/reporting-exporter is a file: leastpriv replaces only what it wrote/);
    expect(await readFile(join(out, NAME), 'utf8')).toBe('notes');
  });

  it('replaces its own output on a second run, with the same bytes', async () => {
    const out = join(dir, 'twice');
    expect((await run('recommend', '--snapshot', SNAPSHOT, '--out', out)).code).toBe(0);
    const first = await readFile(join(out, NAME, 'recommendation.json'), 'utf8');
    expect((await run('recommend', '--snapshot', SNAPSHOT, '--out', out)).code).toBe(0);
    expect(await readFile(join(out, NAME, 'recommendation.json'), 'utf8')).toBe(first);
  });
});

describe('a second run into the same --out never loses the first run\'s rollback record', () => {
  it('after applying, the same --out is refused: its original/ is the only copy of the policy before the change', async () => {
    const lambda = join(import.meta.dirname, '../../policies-examples/lambda-s3-objects');
    const out = join(dir, 'reapply');
    expect((await run('recommend', '--snapshot', join(lambda, 'snapshot.json'), '--out', out)).code).toBe(0);
    const folder = join(out, 'thumbnailer-lambda');
    const before = await readFile(join(folder, 'original', 'thumbnails-bucket.json'), 'utf8');
    // "apply" it: the snapshot now holds the proposed documents
    const snap = JSON.parse(await readFile(join(lambda, 'snapshot.json'), 'utf8')) as { policies: { PolicyName: string; PolicyDocument: unknown }[] };
    for (const p of snap.policies) p.PolicyDocument = JSON.parse(await readFile(join(folder, 'policies', `${p.PolicyName}.json`), 'utf8')) as unknown;
    const applied = join(dir, 'applied.json');
    await writeFile(applied, JSON.stringify(snap));
    const again = await run('recommend', '--snapshot', applied, '--out', out);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/thumbnailer-lambda holds original\/thumbnails-bucket\.json from an earlier run, the original its rollback restores/);
    expect(await readFile(join(folder, 'original', 'thumbnails-bucket.json'), 'utf8')).toBe(before);
  });
});

describe('a live run checks its outputs before any AWS call', () => {
  const aws = (): string[] => ['--endpoint-url', emulator.endpoint, '--region', 'us-east-1'];

  it('recommend --role-arn with --out holding a foreign folder of that name: refused, no call made', async () => {
    const out = join(dir, 'live-foreign');
    await mkdir(join(out, 'data-pipeline'), { recursive: true });
    await writeFile(join(out, 'data-pipeline', 'main.tf'), '');
    const before = callsMade();
    const r = await run('recommend', '--role-arn', demoArn('role', 'pipelines/data-pipeline'), ...aws(), '--out', out);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/data-pipeline holds main\.tf: leastpriv replaces only what it wrote/);
    expect(callsMade()).toBe(before);
  });

  it('collect --snapshot-out onto a file that is not a snapshot: refused, no call made, the file intact', async () => {
    const file = join(dir, 'policy.json');
    await writeFile(file, '{"Version":"2012-10-17","Statement":[]}');
    const before = callsMade();
    const r = await run('collect', '--role-name', 'reporting', ...aws(), '--snapshot-out', file);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `leastpriv: error: --snapshot-out ${file} exists and is not a leastpriv snapshot: leastpriv replaces only what it wrote, so nothing was changed (move it away or choose another path)\n`,
    );
    expect(callsMade()).toBe(before);
    expect(await readFile(file, 'utf8')).toBe('{"Version":"2012-10-17","Statement":[]}');
  });

  it('recommend --role-name --out under /proc: one line, no call made', async () => {
    const before = callsMade();
    const r = await run('recommend', '--role-name', 'reporting', ...aws(), '--out', '/proc/leastpriv-nope');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^leastpriv: error: --out \/proc\/leastpriv-nope: cannot create \/proc\/leastpriv-nope: .*\n$/);
    expect(callsMade()).toBe(before);
  });

  it('recommend --role-name --out onto a file: says --out is a file, no call made', async () => {
    const file = join(dir, 'outfile');
    await writeFile(file, '');
    const before = callsMade();
    const r = await run('recommend', '--role-name', 'reporting', ...aws(), '--out', file);
    expect(r).toMatchObject({ code: 1, stderr: `leastpriv: error: --out ${file} is a file, not a folder\n` });
    expect(callsMade()).toBe(before);
  });

  it('collect --snapshot-out replaces a snapshot it wrote before', async () => {
    const file = join(dir, 'reporting.snapshot.json');
    expect((await run('collect', '--role-name', 'reporting', ...aws(), '--snapshot-out', file)).code).toBe(0);
    const r = await run('collect', '--role-name', 'reporting', ...aws(), '--snapshot-out', file);
    expect(r.code).toBe(0);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ subject: { principal: { Name: 'reporting' } } });
  });
});
