import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeDirectoryAtomically } from '../../src/cli/write-files.js';

const dir = mkdtempSync(join(tmpdir(), 'leastpriv-write-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeDirectoryAtomically', () => {
  it('writes every file, creating parents, and replaces an existing folder whole', async () => {
    const target = join(dir, 'a', 'role');
    mkdirSync(target, { recursive: true });
    writeFileSync(join(target, 'old.txt'), 'old');
    await writeDirectoryAtomically(target, new Map([['x.txt', 'x'], ['policies/p.json', '{}\n']]));
    expect(readdirSync(target, { recursive: true }).map(String).sort()).toEqual(['policies', 'policies/p.json', 'x.txt']);
    expect(readFileSync(join(target, 'policies/p.json'), 'utf8')).toBe('{}\n');
    expect(readdirSync(join(dir, 'a'))).toEqual(['role']);
  });

  it('on failure leaves the old folder as it was and no temporary folder behind', async () => {
    const target = join(dir, 'b', 'role');
    mkdirSync(target, { recursive: true });
    writeFileSync(join(target, 'keep.txt'), 'keep');
    await expect(writeDirectoryAtomically(target, new Map([['ok.txt', 'ok'], ['../escape.txt', 'no']]))).rejects.toMatchObject({ kind: 'output' });
    expect(readdirSync(join(dir, 'b'))).toEqual(['role']);
    expect(readdirSync(target)).toEqual(['keep.txt']);
    expect(existsSync(join(dir, 'b', 'escape.txt'))).toBe(false);
  });
});
