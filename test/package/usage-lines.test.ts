/**
 * No package named leastpriv is ours on any registry, so `npx leastpriv` outside a clone fetches someone else's
 * package, or nothing. Usage lines say `leastpriv …` (installed from the tarball) or `node dist/src/cli/main.js …`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const inDir = (dir: string, ext: string) =>
  readdirSync(join(ROOT, dir))
    .filter((f) => f.endsWith(ext))
    .map((f) => join(dir, f));

describe('usage lines never ask a registry for leastpriv', () => {
  it.each(['README.md', 'CONTRIBUTING.md', ...inDir('docs', '.md'), ...inDir('scripts', '.ts')])('%s has no npx leastpriv', (file) => {
    const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
    expect(lines.filter((l) => /\bnpx\s+leastpriv\b/.test(l))).toEqual([]);
  });

  it('the README says how to install from a clone without a registry entry, with the tarball npm pack makes now', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(readme).toMatch(/^## Install$/m);
    expect(readme).toContain(`npm ci && npm pack && npm install -g ./leastpriv-${version}.tgz`);
  });
});

describe('the supported Node versions', () => {
  it("README's Supported Node versions section states package.json's engines range", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const { engines } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
    const section = readme.split(/^### Supported Node versions$/m)[1]?.split(/^#/m)[0] ?? '';
    expect(section).toContain(`"engines": { "node": "${engines.node}" }`);
    // require() of an ES module works unflagged only from 20.19 in the 20 line and from 22.12 on
    expect(engines.node).toBe('^20.19.0 || >=22.12.0');
  });
});

describe("the README's first lines", () => {
  it('are the demo and test lines, then a note that they run in a clone (the tarball ships this README without either)', () => {
    const lines = readFileSync(join(ROOT, 'README.md'), 'utf8').split('\n');
    expect(lines.slice(0, 6)).toEqual([
      '# leastpriv',
      '',
      '```sh',
      "npm ci && npm run demo      # recommend least-privilege policies for the demo account's roles (local AWS emulator, no account needed)",
      'npm ci && npm test          # typecheck + every test',
      '```',
    ]);
    const note = lines.slice(7, lines.indexOf('', 8)).join(' ');
    expect(note).toMatch(/^These two lines run in a clone of \[the repository\]\(https:\/\/github\.com\/leastpriv\/leastpriv\)/);
  });
});
