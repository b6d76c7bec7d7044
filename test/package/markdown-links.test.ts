import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { brokenRelativeLinks, linkTargets } from './markdown-links.js';

describe('the Markdown link check the package test relies on', () => {
  it('finds inline links, images, reference definitions and HTML links, and none inside code', () => {
    const text = [
      'See [a](a.md "title") and ![img](pics/x.png) and <a href="h.md">h</a>.',
      '[ref]: ref.md',
      '`[not](code.md)`',
      '```',
      '[not](fenced.md)',
      '```',
    ].join('\n');
    expect(linkTargets(text).sort()).toEqual(['a.md', 'h.md', 'pics/x.png', 'ref.md']);
  });

  it('reports relative targets missing under the root, or outside it; not URLs, fragments, or present files', () => {
    const root = mkdtempSync(join(tmpdir(), 'links-'));
    mkdirSync(join(root, 'docs'));
    writeFileSync(join(root, 'docs/b.md'), '');
    const text = '[ok](b.md#part) [up](../README.md) [gone](gone.md) [out](../../elsewhere.md) [web](https://x.test/a.md) [here](#top)';
    writeFileSync(join(root, 'README.md'), '');
    expect(brokenRelativeLinks({ root, file: 'docs/b.md', text })).toEqual(['gone.md', '../../elsewhere.md']);
  });
});

describe('in the repository', () => {
  const ROOT = join(import.meta.dirname, '../..');
  const docs = readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`);
  it.each(['README.md', 'CONTRIBUTING.md', 'policies-examples/README.md', 'src/policy/README.md', ...docs])('every relative link of %s resolves', (file) => {
    expect(brokenRelativeLinks({ root: ROOT, file, text: readFileSync(join(ROOT, file), 'utf8') })).toEqual([]);
  });
});
