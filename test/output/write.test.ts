/**
 * The output writers: all or nothing, and never a file leastpriv did not write. A folder is replaced only when its
 * marker lists everything in it (or it is an output written before markers, or empty); a snapshot file only when it
 * is a leastpriv snapshot. Messages name the user's path, never the temporary names.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { folderOwnership, OUTPUT_MARKER, snapshotFileOwnership } from '../../src/output/ownership.js';
import { preflightOutputs } from '../../src/output/preflight.js';
import { writeDirectoryAtomically, writeSnapshotFile } from '../../src/output/write.js';

const dir = mkdtempSync(join(tmpdir(), 'leastpriv-write-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const listing = (root: string): string[] => readdirSync(root, { recursive: true }).map(String).sort();
const failure = async (p: Promise<unknown>): Promise<{ kind?: string; message: string }> => {
  try {
    await p;
  } catch (e) {
    return e as { kind?: string; message: string };
  }
  throw new Error('expected a rejection');
};

describe('writeDirectoryAtomically', () => {
  it('writes every file and the marker listing them, creating parents', async () => {
    const target = join(dir, 'a', 'b', 'role');
    await writeDirectoryAtomically(target, new Map([['x.txt', 'x'], ['policies/p.json', '{}\n']]));
    expect(listing(target)).toEqual([OUTPUT_MARKER, 'policies', 'policies/p.json', 'x.txt']);
    expect(JSON.parse(readFileSync(join(target, OUTPUT_MARKER), 'utf8'))).toMatchObject({
      writtenBy: 'leastpriv',
      files: ['policies/p.json', 'x.txt'],
    });
    expect(readdirSync(join(dir, 'a', 'b'))).toEqual(['role']);
  });

  it('replaces a folder it wrote, whole', async () => {
    const target = join(dir, 'again', 'role');
    await writeDirectoryAtomically(target, new Map([['old.txt', 'old'], ['policies/gone.json', '{}\n']]));
    await writeDirectoryAtomically(target, new Map([['new.txt', 'new']]));
    expect(listing(target)).toEqual([OUTPUT_MARKER, 'new.txt']);
  });

  it('refuses a folder holding files it did not write (a Terraform module named like the principal), touching nothing', async () => {
    const target = join(dir, 'tf', 'app-role');
    mkdirSync(target, { recursive: true });
    writeFileSync(join(target, 'main.tf'), 'resource "aws_iam_role" "app" {}\n');
    const e = await failure(writeDirectoryAtomically(target, new Map([['x.txt', 'x']])));
    expect(e).toMatchObject({ kind: 'output' });
    expect(e.message).toBe(`${target} holds main.tf: leastpriv replaces only what it wrote, so nothing was changed (move it away or choose another path)`);
    expect(listing(join(dir, 'tf'))).toEqual(['app-role', 'app-role/main.tf']);
  });

  it('refuses its own output folder once someone added a file to it', async () => {
    const target = join(dir, 'added', 'role');
    await writeDirectoryAtomically(target, new Map([['explanation.md', 'x']]));
    writeFileSync(join(target, 'notes.md'), 'mine');
    const e = await failure(writeDirectoryAtomically(target, new Map([['explanation.md', 'y']])));
    expect(e.message).toMatch(/holds notes\.md, which leastpriv did not write/);
    expect(readFileSync(join(target, 'notes.md'), 'utf8')).toBe('mine');
    expect(readFileSync(join(target, 'explanation.md'), 'utf8')).toBe('x');
  });

  it('refuses a plain file or a link where the folder would go', async () => {
    const file = join(dir, 'plain', 'app-role');
    mkdirSync(join(dir, 'plain'));
    writeFileSync(file, 'not a folder');
    expect((await failure(writeDirectoryAtomically(file, new Map([['x', 'x']])))).message).toMatch(/app-role is a file: leastpriv replaces only/);
    expect(readFileSync(file, 'utf8')).toBe('not a folder');
    const link = join(dir, 'plain', 'linked');
    symlinkSync(join(dir, 'plain'), link);
    expect((await failure(writeDirectoryAtomically(link, new Map([['x', 'x']])))).message).toMatch(/linked is a symbolic link/);
  });

  it('replaces an output folder written before markers existed (its recommendation.json names leastpriv) and an empty folder', async () => {
    const legacy = join(dir, 'legacy', 'role');
    mkdirSync(join(legacy, 'policies'), { recursive: true });
    const legacyRec = { schemaVersion: 1, tool: { name: 'leastpriv', version: '0.1.0' }, policies: [{ proposed: [{ file: 'policies/p.json' }] }] };
    writeFileSync(join(legacy, 'recommendation.json'), JSON.stringify(legacyRec));
    writeFileSync(join(legacy, 'policies', 'p.json'), '{}');
    writeFileSync(join(legacy, 'explanation.md'), '# old');
    await writeDirectoryAtomically(legacy, new Map([['explanation.md', 'new']]));
    expect(listing(legacy)).toEqual([OUTPUT_MARKER, 'explanation.md']);
    const empty = join(dir, 'empty', 'role');
    mkdirSync(empty, { recursive: true });
    await writeDirectoryAtomically(empty, new Map([['x', 'x']]));
    expect(listing(empty)).toEqual([OUTPUT_MARKER, 'x']);
  });

  it('a legacy-looking folder with a file outside the old layout is refused', async () => {
    const legacy = join(dir, 'legacy2', 'role');
    mkdirSync(legacy, { recursive: true });
    writeFileSync(join(legacy, 'recommendation.json'), JSON.stringify({ tool: { name: 'leastpriv' } }));
    writeFileSync(join(legacy, 'main.tf'), '');
    expect((await failure(writeDirectoryAtomically(legacy, new Map([['x', 'x']])))).message).toMatch(/holds main\.tf, which leastpriv did not write/);
  });

  it('a legacy folder with a policies/ file its recommendation.json does not name is someone else\'s', async () => {
    const legacy = join(dir, 'legacy3', 'role');
    mkdirSync(join(legacy, 'policies'), { recursive: true });
    writeFileSync(join(legacy, 'recommendation.json'), JSON.stringify({ tool: { name: 'leastpriv' }, policies: [{ proposed: [{ file: 'policies/p.json' }] }] }));
    writeFileSync(join(legacy, 'policies', 'p.json'), '{}');
    writeFileSync(join(legacy, 'policies', 'my-hand-edited-copy.json'), '{"mine":true}');
    expect((await failure(writeDirectoryAtomically(legacy, new Map([['x', 'x']])))).message).toMatch(/holds policies\/my-hand-edited-copy\.json, which leastpriv did not write/);
    expect(readFileSync(join(legacy, 'policies', 'my-hand-edited-copy.json'), 'utf8')).toBe('{"mine":true}');
  });

  it('never loses an original/ file of an earlier run: the same bytes again, or the folder is refused', async () => {
    const target = join(dir, 'rollback', 'role');
    await writeDirectoryAtomically(target, new Map([['original/p.json', 'before'], ['explanation.md', 'one']]));
    await writeDirectoryAtomically(target, new Map([['original/p.json', 'before'], ['explanation.md', 'two']]));
    expect(readFileSync(join(target, 'explanation.md'), 'utf8')).toBe('two');
    // after the change was applied, a new run's original is the trimmed document, or there is none
    for (const files of [new Map([['original/p.json', 'after'], ['explanation.md', 'three']]), new Map([['explanation.md', 'three']])]) {
      const e = await failure(writeDirectoryAtomically(target, files));
      expect(e.message).toMatch(/holds original\/p\.json from an earlier run, the original its rollback restores, and this run would (change|drop) it: nothing was changed/);
      expect(readFileSync(join(target, 'original', 'p.json'), 'utf8')).toBe('before');
      expect(readFileSync(join(target, 'explanation.md'), 'utf8')).toBe('two');
      expect(readdirSync(join(dir, 'rollback'))).toEqual(['role']);
    }
  });

  it('on failure leaves the old folder as it was, no temporary folder and no parent it created', async () => {
    const target = join(dir, 'fail', 'role');
    await writeDirectoryAtomically(target, new Map([['keep.txt', 'keep']]));
    await expect(writeDirectoryAtomically(target, new Map([['ok.txt', 'ok'], ['../escape.txt', 'no']]))).rejects.toMatchObject({ kind: 'output' });
    expect(readdirSync(join(dir, 'fail'))).toEqual(['role']);
    expect(listing(target)).toEqual([OUTPUT_MARKER, 'keep.txt']);
    const fresh = join(dir, 'fresh', 'deep', 'role');
    const e = await failure(writeDirectoryAtomically(fresh, new Map([['ok.txt', 'ok'], [`${'n'.repeat(300)}.txt`, 'too long']])));
    expect(e.message).toBe(`cannot write ${fresh}: the name is too long (ENAMETOOLONG)`);
    expect(existsSync(join(dir, 'fresh'))).toBe(false);
  });

  it('--out under /proc fails at once with the path the user gave, instead of spinning in a recursive mkdir', async () => {
    const e = await failure(writeDirectoryAtomically('/proc/leastpriv-x/role', new Map([['x', 'x']])));
    expect(e.message).toMatch(/^\/proc\/leastpriv-x: cannot create \/proc\/leastpriv-x: /);
    expect(e.message).not.toMatch(/leastpriv-tmp/);
  });
});

describe('writeSnapshotFile', () => {
  const snapshotText = `${JSON.stringify({ schemaVersion: 1, collection: { Source: 'aws', ToolVersion: '0.1.0', CatalogVersion: 'x' } })}\n`;

  it('writes a new file and replaces a leastpriv snapshot', async () => {
    const file = join(dir, 'snaps', 'sub', 'app.json');
    await writeSnapshotFile(file, snapshotText);
    await writeSnapshotFile(file, snapshotText.replace('0.1.0', '0.2.0'));
    expect(readFileSync(file, 'utf8')).toContain('0.2.0');
    expect(readdirSync(join(dir, 'snaps', 'sub'))).toEqual(['app.json']);
  });

  it.each([
    ['a policy document', '{"Version":"2012-10-17","Statement":[]}'],
    ['a text file', 'hello'],
    ['a JSON object without the collection record', '{"schemaVersion":1}'],
  ])('refuses to overwrite %s', async (_what, text) => {
    const file = join(dir, 'snaps', `${text.length}.json`);
    writeFileSync(file, text);
    expect((await failure(writeSnapshotFile(file, snapshotText))).message).toBe(
      `${file} exists and is not a leastpriv snapshot: leastpriv replaces only what it wrote, so nothing was changed (move it away or choose another path)`,
    );
    expect(readFileSync(file, 'utf8')).toBe(text);
  });
});

describe('preflightOutputs', () => {
  it('accepts a folder that does not exist yet and leaves nothing behind', async () => {
    await preflightOutputs({ out: join(dir, 'pre', 'a', 'b'), subjectName: 'role', snapshotOut: join(dir, 'pre2', 's.json') });
    expect(existsSync(join(dir, 'pre'))).toBe(false);
    expect(existsSync(join(dir, 'pre2'))).toBe(false);
  });

  it('names the bad part of the path: a file on the way, /proc, a foreign subject folder', async () => {
    writeFileSync(join(dir, 'afile'), '');
    expect((await failure(preflightOutputs({ out: join(dir, 'afile') }))).message).toBe(`--out ${join(dir, 'afile')} is a file, not a folder`);
    expect((await failure(preflightOutputs({ out: join(dir, 'afile', 'x') }))).message).toBe(
      `--out ${join(dir, 'afile', 'x')}: ${join(dir, 'afile')} is a file, not a folder`,
    );
    expect((await failure(preflightOutputs({ out: '/proc/leastpriv-y' }))).message).toMatch(/^--out \/proc\/leastpriv-y: cannot create/);
    // with the subject's folder to check below it, --out being a file still says so first
    expect((await failure(preflightOutputs({ out: join(dir, 'afile'), subjectName: 'app-role' }))).message).toBe(`--out ${join(dir, 'afile')} is a file, not a folder`);
    mkdirSync(join(dir, 'tf2', 'app-role'), { recursive: true });
    writeFileSync(join(dir, 'tf2', 'app-role', 'main.tf'), '');
    expect((await failure(preflightOutputs({ out: join(dir, 'tf2'), subjectName: 'app-role' }))).message).toMatch(/app-role holds main\.tf/);
  });

  it('--snapshot-out: a folder asks for a file name, a file on the way is named, /proc says creating the file failed', async () => {
    mkdirSync(join(dir, 'snapdir'));
    expect((await failure(preflightOutputs({ snapshotOut: join(dir, 'snapdir') }))).message).toBe(`--snapshot-out ${join(dir, 'snapdir')} is a folder: give a file name`);
    writeFileSync(join(dir, 'bfile'), '');
    expect((await failure(preflightOutputs({ snapshotOut: join(dir, 'bfile', 's.json') }))).message).toBe(
      `--snapshot-out ${join(dir, 'bfile', 's.json')}: ${join(dir, 'bfile')} is a file, not a folder`,
    );
    expect((await failure(preflightOutputs({ snapshotOut: '/proc/leastpriv-z' }))).message).toBe(
      '--snapshot-out /proc/leastpriv-z: cannot create a file in /proc: no such file or directory (ENOENT)',
    );
  });
});

describe('ownership', () => {
  it('a path below a file is absent (ENOTDIR), for a folder and for a snapshot file alike', async () => {
    writeFileSync(join(dir, 'cfile'), '');
    expect(await folderOwnership(join(dir, 'cfile', 'app-role'))).toEqual({ kind: 'absent' });
    expect(await snapshotFileOwnership(join(dir, 'cfile', 's.json'))).toEqual({ kind: 'absent' });
  });
});
