/**
 * How input files are read: a UTF-8 byte order mark is accepted, UTF-16 (what Windows PowerShell's `>` writes) is
 * named in one line, and `--snapshot -` reads standard input, which errors call "standard input".
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { allow, daysBefore, doc, inline, snapshot, tracked, usedService } from '../support/snapshots.js';

const dir = mkdtempSync(join(tmpdir(), 'leastpriv-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const trimmable = snapshot({
  policies: [inline('p', doc(allow(['s3:CreateBucket', 's3:ListBucket'])))],
  services: [usedService('s3', daysBefore(1), [tracked('CreateBucket'), tracked('ListBucket', daysBefore(1))])],
});
const text = `${JSON.stringify(trimmable, null, 2)}\n`;
const utf16 = (s: string, order: 'le' | 'be'): Buffer => {
  const le = Buffer.from(`\ufeff${s}`, 'utf16le');
  return order === 'le' ? le : le.swap16();
};
const write = (name: string, bytes: Uint8Array | string): string => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};
const BOM = '\ufeff';

describe('encodings', () => {
  it('a snapshot and a config with a UTF-8 byte order mark are read as without one', async () => {
    const plain = await runCli(['recommend', '--snapshot', write('plain.json', text), '--config', write('config.json', '{ "unusedDays": 30 }'), '--format', 'json']);
    const bomConfig = write('bom-config.json', `${BOM}{ "unusedDays": 30 }`);
    const bom = await runCli(['recommend', '--snapshot', write('bom.json', `${BOM}${text}`), '--config', bomConfig, '--format', 'json']);
    expect(bom).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(bom.stdout)).toMatchObject({ thresholdDays: 30 });
    expect(bom.stdout).toBe(plain.stdout);
  });

  it.each<[string, () => Buffer]>([
    ['UTF-16 LE with its byte order mark (PowerShell 5 `>`)', () => utf16(text, 'le')],
    ['UTF-16 BE with its byte order mark', () => utf16(text, 'be')],
    ['UTF-16 LE without a byte order mark', () => utf16(text, 'le').subarray(2)],
  ])('%s is named in one line, not parsed', async (_, bytes) => {
    const path = write('utf16.json', bytes());
    const r = await runCli(['recommend', '--snapshot', path]);
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toBe(`leastpriv: error: ${path} is UTF-16; save it as UTF-8 (in Windows PowerShell, pipe to Out-File -Encoding utf8 rather than >)\n`);
  });

  it('a UTF-16 config file is named the same way', async () => {
    const path = write('utf16-config.json', utf16('{ "unusedDays": 30 }', 'le'));
    const r = await runCli(['recommend', '--snapshot', write('ok.json', text), '--config', path]);
    expect(r.stderr).toBe(`leastpriv: error: ${path} is UTF-16; save it as UTF-8 (in Windows PowerShell, pipe to Out-File -Encoding utf8 rather than >)\n`);
  });

  it('bytes that are not UTF-8, and an empty file, are one line each', async () => {
    const latin1 = write('latin1.json', Buffer.from(text.replace('"p"', '"caf\u00e9"'), 'latin1'));
    expect((await runCli(['recommend', '--snapshot', latin1])).stderr).toBe(`leastpriv: error: ${latin1} is not UTF-8 text; save it as UTF-8\n`);
    const empty = write('empty.json', '');
    expect((await runCli(['recommend', '--snapshot', empty])).stderr).toBe(`leastpriv: error: ${empty} is empty\n`);
  });
});

describe('--snapshot - reads standard input', () => {
  it('gives the same recommendation as the file', async () => {
    const fromFile = await runCli(['recommend', '--snapshot', write('file.json', text), '--format', 'json']);
    const fromStdin = await runCli(['recommend', '--snapshot', '-', '--format', 'json'], { stdin: text });
    expect(fromStdin).toMatchObject({ code: 0, stderr: '' });
    expect(fromStdin.stdout).toBe(fromFile.stdout);
  });

  it.each<[string, string | Buffer, string]>([
    ['bad JSON', '{\n  oops\n}', 'standard input: invalid JSON at line 2, column 3: '],
    ['a schema error', JSON.stringify({ ...trimmable, extra: 1 }), 'standard input: $.extra: is not a known field'],
    ['UTF-16', utf16(text, 'le'), 'standard input is UTF-16; save it as UTF-8'],
    ['nothing at all', '', 'standard input is empty'],
  ])('names it "standard input" in errors: %s', async (_, stdin, expected) => {
    const r = await runCli(['recommend', '--snapshot', '-'], { stdin });
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(r.stderr).toContain(`leastpriv: error: ${expected}`);
  });

  it('without a standard input to read, says so', async () => {
    expect((await runCli(['recommend', '--snapshot', '-'])).stderr).toBe('leastpriv: error: standard input cannot be read here\n');
  });
});
