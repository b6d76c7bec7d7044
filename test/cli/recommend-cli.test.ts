/**
 * `leastpriv recommend` through main(argv, io): every bad input gives one stderr line, exit 1, no stack trace and no
 * output files; good runs print or write atomically; exit codes as documented.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OUTPUT_MARKER } from '../../src/output/ownership.js';
import { writeDirectoryAtomically } from '../../src/output/write.js';
import { recommendWith } from '../../src/recommend.js';
import { renderFiles } from '../../src/render/files.js';
import { runCli } from '../support/cli.js';
import { allow, catalog, daysBefore, doc, inline, snapshot, tracked, usedService } from '../support/snapshots.js';

const dir = mkdtempSync(join(tmpdir(), 'leastpriv-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, content: unknown): string => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
};

const trimmable = snapshot({ policies: [inline('p', doc(allow(['s3:CreateBucket', 's3:ListBucket'])))], services: [usedService('s3', daysBefore(1), [tracked('CreateBucket'), tracked('ListBucket', daysBefore(1))])] });
const untouched = snapshot({ policies: [inline('p', doc(allow('s3:ListBucket')))], services: [usedService('s3', daysBefore(1), [tracked('ListBucket', daysBefore(1))])] });
const goodPath = file('good.json', trimmable);
const untouchedPath = file('untouched.json', untouched);

const cli = (...argv: string[]) => runCli(argv);

const mutated = (name: string, mutate: (s: any) => void): string => {
  const s = structuredClone(trimmable) as any;
  mutate(s);
  return file(name, s);
};

describe('recommend: bad input is one line on stderr, exit 1, no stack, no output', () => {
  const out = join(dir, 'never-written');
  const cases: Array<[string, () => string[], RegExp]> = [
    ['a missing file', () => ['--snapshot', join(dir, 'nope.json')], /^leastpriv: error: .*nope\.json: no such file$/],
    ['invalid JSON', () => ['--snapshot', file('bad.json', '{\n  "schemaVersion": 1,\n  oops\n}')], /^leastpriv: error: .*bad\.json: invalid JSON at line 3, column 3: /],
    ['a schema violation, with its JSON path', () => ['--snapshot', mutated('schema.json', (s) => (s.subject.policies[0].Source = { Type: 'principal', Extra: 1 }))], /^leastpriv: error: .*schema\.json: \$\.subject\.policies\[0\]\.Source\.Extra: is not a known field$/],
    ['a bad ARN', () => ['--snapshot', mutated('arn.json', (s) => (s.subject.principal.Arn = 'arn:aws:iam::1:role/app'))], /^leastpriv: error: .*arn\.json: \$\.subject\.principal\.Arn: "arn:aws:iam::1:role\/app" is not a valid IAM role, user or group ARN/],
    ['an unknown schema version', () => ['--snapshot', mutated('v9.json', (s) => (s.schemaVersion = 9))], /^leastpriv: error: .*v9\.json: \$\.schemaVersion: unsupported snapshot schema version 9 \(this leastpriv reads versions 1 and 2\)$/],
    ['a bad number of days', () => ['--snapshot', goodPath, '--unused-days', 'ninety'], /^leastpriv: error: --unused-days: "ninety" is not a whole number of days/],
    ['zero days', () => ['--snapshot', goodPath, '--unused-days', '0'], /^leastpriv: error: --unused-days: "0" is not a whole number of days from 1 to 3650/],
    ['a negative number of days (a value starting with a dash)', () => ['--snapshot', goodPath, '--unused-days', '-3'], /^leastpriv: error: --unused-days: "-3" is not a whole number of days from 1 to 3650 \(see 'leastpriv --help'\)$/],
    ['a --format starting with a dash', () => ['--snapshot', goodPath, '--format', '-json'], /^leastpriv: error: --format: "-json" is not md or json/],
    ['a file name starting with a dash is a file name', () => ['--snapshot', '-leastpriv-no-such.json'], /^leastpriv: error: .*-leastpriv-no-such\.json: no such file$/],
    ['a flag where a value belongs', () => ['--snapshot', '--unused-days', '30'], /^leastpriv: error: recommend: --snapshot needs a value \(see 'leastpriv --help'\)$/],
    ['a value missing before the next flag', () => ['--snapshot', goodPath, '--as-of'], /^leastpriv: error: recommend: --as-of needs a value /],
    ['a bad --as-of', () => ['--snapshot', goodPath, '--as-of', 'yesterday'], /^leastpriv: error: --as-of: "yesterday" is not a date/],
    ['an --as-of after the report', () => ['--snapshot', goodPath, '--as-of', '2030-01-01'], /^leastpriv: error: --as-of 2030-01-01 00:00 UTC is after the report's JobCompletionDate \d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)? UTC:/],
    ['an --as-of before the report\'s data starts', () => ['--snapshot', goodPath, '--as-of', '2020-01-01'], /^leastpriv: error: --as-of 2020-01-01 00:00 UTC is before the report's data starts \(2025-10-16 11:59:58 UTC: JobCreationDate .* − 400 days\): there is no data before then; the earliest --as-of that covers the 90-day threshold is 2026-01-14 11:59:58 UTC$/],
    ['an unknown flag', () => ['--snapshot', goodPath, '--unsued-days', '30'], /^leastpriv: error: recommend: unknown option --unsued-days \(see 'leastpriv --help'\)$/],
    [
      'a missing --snapshot',
      () => [],
      /^leastpriv: error: recommend: needs --snapshot FILE, or a principal to collect \(--role-arn, --role-name, --user-arn, --user-name, --group-arn, --group-name, --policy-arn, --scp-id or --entity-path\) \(see/,
    ],
    ['a bad --format', () => ['--snapshot', goodPath, '--format', 'yaml'], /^leastpriv: error: --format: "yaml" is not md or json/],
    ['an invalid config', () => ['--snapshot', goodPath, '--config', file('cfg.json', { neverRemove: 'iam:PassRole' })], /^leastpriv: error: .*cfg\.json: \$\.neverRemove: must be array$/],
    ['an unknown command', () => ['recomend'], /^leastpriv: error: unknown command "recomend"/],
  ];
  it.each(cases)('%s', async (_, argv, expected) => {
    const r = await cli(...(argv()[0] === 'recomend' ? argv() : ['recommend', ...argv(), '--out', out]));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')).toHaveLength(2); // one line and its newline
    expect(r.stderr.trimEnd()).toMatch(expected);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });

  it('--debug adds the stack trace', async () => {
    const r = await cli('recommend', '--snapshot', join(dir, 'nope.json'), '--debug');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^leastpriv: error: .*no such file\n.*\n\s+at /s);
  });

  it('a write failure leaves nothing behind', async () => {
    const blocker = file('blocker', 'a file where a directory should be');
    const r = await cli('recommend', '--snapshot', goodPath, '--out', join(blocker, 'sub'));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`leastpriv: error: --out ${join(blocker, 'sub')}: ${blocker} is a file, not a folder\n`);
    expect(readdirSync(dir).filter((n) => n.startsWith('.leastpriv-'))).toEqual([]);
  });
});

describe('recommend: output and exit codes', () => {
  it('--out writes DIR/<principal>/ with exactly the rendered files and the marker, replacing an older run whole', async () => {
    const out = join(dir, 'out');
    await writeDirectoryAtomically(join(out, 'app'), new Map([['policies/stale.json', '{}']]));
    const r = await cli('recommend', '--snapshot', goodPath, '--out', out);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^reductions-recommended: wrote .*app\/ \(2 → 1 actions\)\n$/);
    const expected = renderFiles(recommendWith({ snapshot: trimmable, catalog, toolVersion: '0.1.0', snapshotLabel: goodPath }));
    const written = readdirSync(join(out, 'app'), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name).slice(join(out, 'app').length + 1))
      .sort();
    expect(written).toEqual([...expected.keys(), OUTPUT_MARKER].sort());
    for (const [rel, text] of expected) expect(readFileSync(join(out, 'app', rel), 'utf8')).toBe(text);
    expect(readdirSync(out)).toEqual(['app']);
  });

  it('prints explanation.md by default and recommendation.json with --format json', async () => {
    const md = await cli('recommend', '--snapshot', goodPath);
    expect(md.stdout).toMatch(/^# leastpriv recommendation: role `app`/);
    const json = await cli('recommend', '--snapshot', goodPath, '--format', 'json');
    expect(JSON.parse(json.stdout)).toMatchObject({ schemaVersion: 1, outcome: 'reductions-recommended' });
  });

  it('--explain-actions renders explanation.md with one row per removed action, printed or written with --out', async () => {
    // five never-used actions of a service in use roll up; --explain-actions lists each
    const many = snapshot({
      policies: [inline('p', doc(allow('s3:*')))],
      services: [usedService('s3', daysBefore(1), [tracked('GetObject', daysBefore(1)), ...['CreateBucket', 'DeleteBucket', 'ListBucket', 'PutBucketPolicy', 'PutObject'].map((n) => tracked(n))])],
    });
    const manyPath = file('many.json', many);
    const rec = recommendWith({ snapshot: many, catalog, toolVersion: '0.1.0', snapshotLabel: manyPath });
    const plain = await cli('recommend', '--snapshot', manyPath);
    const detailed = await cli('recommend', '--snapshot', manyPath, '--explain-actions');
    expect(detailed.code).toBe(0);
    expect(detailed.stdout).toContain('| `s3:DeleteBucket` | never used in the tracking period |');
    expect(plain.stdout).not.toContain('| `s3:DeleteBucket` |');
    const out = join(dir, 'explained');
    expect((await cli('recommend', '--snapshot', manyPath, '--explain-actions', '--out', out)).code).toBe(0);
    expect(readFileSync(join(out, 'app', 'explanation.md'), 'utf8')).toBe(renderFiles(rec, { explainActions: true }).get('explanation.md'));
    expect(readFileSync(join(out, 'app', 'explanation.md'), 'utf8')).toBe(detailed.stdout);
  });

  it('--detailed-exitcode: 2 when reductions are recommended, 0 when none; without it, 0', async () => {
    expect((await cli('recommend', '--snapshot', goodPath, '--detailed-exitcode')).code).toBe(2);
    expect((await cli('recommend', '--snapshot', untouchedPath, '--detailed-exitcode')).code).toBe(0);
    expect((await cli('recommend', '--snapshot', goodPath)).code).toBe(0);
  });

  it('--unused-days and --as-of change the analysis', async () => {
    const json = await cli('recommend', '--snapshot', goodPath, '--format', 'json', '--unused-days', '30', '--as-of', daysBefore(1).slice(0, 10));
    expect(JSON.parse(json.stdout)).toMatchObject({ thresholdDays: 30, referenceTimeSource: 'as-of' });
  });

  it('a warning about the options is one stderr line (--unused-days beyond what IAM keeps); the run still succeeds', async () => {
    const r = await cli('recommend', '--snapshot', goodPath, '--unused-days', '500');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      'leastpriv: warning: the 500-day threshold is longer than the 400 days IAM keeps last-accessed data (trackingPeriodDays): nothing can be proven unused for 500 days, so nothing is removed\n',
    );
    expect(r.stdout).toContain('threshold-beyond-tracking-period');
    expect((await cli('recommend', '--snapshot', goodPath, '--unused-days', '90')).stderr).toBe('');
  });

  it('--version prints the package version; --help describes the command', async () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string };
    expect(await cli('--version')).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
    const help = await cli('recommend', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--detailed-exitcode/);
    expect(help.stdout).toMatch(/--explain-actions/);
  });
});
