/**
 * The Myers line diff and its unified format: applying the patch to the old text gives the new text (checked by a
 * small hunk applier here and, for one case, by GNU patch semantics written out by hand).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffLines, unifiedDiff } from '../../src/render/diff.js';

/** Applies a unified diff of one file to `old`, checking every context and removed line. */
function applyPatch(old: string, patch: string): string {
  const src = old === '' ? [] : old.replace(/\n$/, '').split('\n');
  const out: string[] = [];
  let at = 0; // next unread line of src (0-based)
  const lines = patch.replace(/\n$/, '').split('\n').slice(2);
  for (let i = 0; i < lines.length; i++) {
    const header = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@$/.exec(lines[i] as string);
    if (!header) throw new Error(`expected a hunk header, got ${lines[i]}`);
    const oldStart = Number(header[1]);
    const oldCount = Number(header[2] ?? 1);
    const first = oldCount === 0 ? oldStart : oldStart - 1;
    while (at < first) out.push(src[at++] as string);
    while (i + 1 < lines.length && !(lines[i + 1] as string).startsWith('@@')) {
      const line = lines[++i] as string;
      const body = line.slice(1);
      if (line[0] === '+') out.push(body);
      else {
        if (src[at] !== body) throw new Error(`context mismatch at old line ${at + 1}: ${JSON.stringify(body)}`);
        if (line[0] === ' ') out.push(body);
        at++;
      }
    }
  }
  while (at < src.length) out.push(src[at++] as string);
  return out.length ? `${out.join('\n')}\n` : '';
}

const text = (lines: string[]): string => (lines.length ? `${lines.join('\n')}\n` : '');

describe('unified diff', () => {
  it('formats a small change with three lines of context', () => {
    const patch = unifiedDiff({ oldPath: 'a/p.json', newPath: 'b/p.json', oldText: text(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']), newText: text(['a', 'b', 'c', 'D', 'e', 'f', 'g', 'h']) });
    expect(patch).toBe(['--- a/p.json', '+++ b/p.json', '@@ -1,7 +1,7 @@', ' a', ' b', ' c', '-d', '+D', ' e', ' f', ' g', ''].join('\n'));
  });
  it('is empty for equal texts and uses /dev/null for created and deleted files', () => {
    expect(unifiedDiff({ oldText: 'x\n', newText: 'x\n' })).toBe('');
    expect(unifiedDiff({ newPath: 'b/n', oldText: '', newText: 'x\ny\n' })).toBe('--- /dev/null\n+++ b/n\n@@ -0,0 +1,2 @@\n+x\n+y\n');
    expect(unifiedDiff({ oldPath: 'a/o', oldText: 'x\n', newText: '' })).toBe('--- a/o\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-x\n');
  });
  it('finds a shortest edit script (Myers): a pure insertion is only additions', () => {
    const edits = diffLines(['a', 'b', 'c'], ['a', 'x', 'b', 'c']);
    expect(edits.map((e) => e.op).join('')).toBe(' + ' + ' ');
  });
  it('applying the patch to the old text always gives the new text', () => {
    const lines = fc.array(fc.constantFrom('{', '}', '"s3:GetObject",', '"s3:PutObject",', '"Effect": "Allow",', '"Resource": "*"', ''), { maxLength: 40 });
    fc.assert(
      fc.property(lines, lines, (a, b) => {
        const patch = unifiedDiff({ oldPath: 'a/f', newPath: 'b/f', oldText: text(a), newText: text(b), context: 2 });
        expect(applyPatch(text(a), patch || '--- a/f\n+++ b/f\n')).toBe(text(b));
      }),
      { numRuns: 300 },
    );
  });
});
