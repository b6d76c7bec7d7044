/**
 * The package as a user gets it: `npm pack` (which builds on prepack), the tarball installed into a fresh project,
 * then the bin, an ESM import, a CommonJS require() and a TypeScript CommonJS consumer run there. One pack and one
 * install for the whole file (npm's cache is filled by `npm ci`). The pack runs in a copy of the repository, since
 * prepack empties dist/: the repository's own build is never touched.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokenRelativeLinks } from './markdown-links.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../..');
const SNAPSHOT = join(ROOT, 'policies-examples/ci-deploy-admin/snapshot.json');

/**
 * The repository as a clone has it, with the working tree's edits (tracked files and new ones git does not ignore),
 * and node_modules linked rather than copied: what `npm pack` in the clone would see, minus its dist/.
 */
async function copyOfRepository(to: string): Promise<void> {
  const { stdout } = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
  for (const file of new Set(stdout.split('\0').filter((f) => f !== ''))) {
    // a tracked file deleted in the working tree is not there to copy
    if (!(await stat(join(ROOT, file)).catch(() => undefined))?.isFile()) continue;
    await mkdir(dirname(join(to, file)), { recursive: true });
    await copyFile(join(ROOT, file), join(to, file));
  }
  await symlink(join(ROOT, 'node_modules'), join(to, 'node_modules'), 'dir');
}

/** the repository's dist/ as it stands: every path below it with its modification time, or 'absent' */
async function distState(): Promise<string[] | 'absent'> {
  const dist = join(ROOT, 'dist');
  const entries = await readdir(dist, { recursive: true, withFileTypes: true }).catch(() => undefined);
  if (entries === undefined) return 'absent';
  const paths = entries.map((e) => join(e.parentPath, e.name)).sort();
  return Promise.all(paths.map(async (p) => `${p.slice(dist.length)} ${(await stat(p)).mtimeMs}`));
}

let work: string;
let unpacked: string;
let consumer: string;
let shipped: string[];

let distBefore: string[] | 'absent';

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'leastpriv-pack-'));
  distBefore = await distState();
  const repository = join(work, 'repository');
  await copyOfRepository(repository);
  // a build output whose source is gone must not ship: prepack starts from an empty dist/
  await mkdir(join(repository, 'dist/src'), { recursive: true });
  await writeFile(join(repository, 'dist/src/stale-module-from-an-earlier-build.js'), 'export {};\n');
  const packed = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: repository, maxBuffer: 64 * 1024 * 1024 });
  const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];
  const tarball = join(work, filename);
  unpacked = join(work, 'unpacked');
  await mkdir(unpacked);
  await run('tar', ['xzf', tarball, '-C', unpacked]);
  shipped = (await readdir(join(unpacked, 'package'), { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(join(unpacked, 'package').length + 1))
    .sort();
  // no "type": "module": .js files here are CommonJS, as in most existing projects
  consumer = join(work, 'consumer');
  await mkdir(consumer);
  await writeFile(join(consumer, 'package.json'), `${JSON.stringify({ name: 'consumer', version: '1.0.0', private: true })}\n`);
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], { cwd: consumer });
}, 300_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

const inConsumer = (file: string, args: string[] = []) => run(process.execPath, [file, ...args], { cwd: consumer, maxBuffer: 64 * 1024 * 1024 });

/** What a consumer prints: the principal and the action counts before and after, from recommend() on the snapshot. */
const SUMMARY = `({ principal: rec.subjectKind === 'principal' ? rec.principal.Name : '', before: rec.summary.before.actions, after: rec.summary.after.actions })`;

describe('the packed tarball', () => {
  it('ships the built library and CLI, the schemas and the user docs, and nothing for the repository only', () => {
    expect(shipped).toEqual(expect.arrayContaining(['README.md', 'LICENSE', 'package.json', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/src/cli/main.js']));
    expect(shipped).toEqual(expect.arrayContaining(['schemas/recommendation.schema.json', 'schemas/snapshot.schema.json', 'schemas/config.schema.json']));
    expect(shipped).toEqual(expect.arrayContaining(['docs/recommend.md', 'docs/collect.md', 'docs/required-permissions.json']));
    const repositoryOnly = /^(src|test|bench|scripts|emulator|policies-examples|dist\/(?!src\/))|docs\/emulator\.md|emulator-fixture|CONTRIBUTING/;
    expect(shipped.filter((f) => repositoryOnly.test(f))).toEqual([]);
    expect(shipped).not.toContain('dist/src/stale-module-from-an-earlier-build.js');
  });

  it("is packed without touching the repository's own dist/ (prepack empties the dist/ of the copy it runs in)", async () => {
    expect(await distState()).toEqual(distBefore);
  });

  it('has no install-time script: installing runs no build', async () => {
    const pkg = JSON.parse(await readFile(join(unpacked, 'package/package.json'), 'utf8')) as { scripts: Record<string, string> };
    for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) expect(pkg.scripts[hook], hook).toBeUndefined();
  });

  it('every relative link in every shipped Markdown file resolves inside the tarball', async () => {
    const markdown = shipped.filter((f) => f.endsWith('.md'));
    expect(markdown).toEqual(expect.arrayContaining(['README.md', 'docs/recommend.md', 'docs/collect.md']));
    const broken: string[] = [];
    for (const file of markdown) {
      const text = await readFile(join(unpacked, 'package', file), 'utf8');
      for (const target of brokenRelativeLinks({ root: join(unpacked, 'package'), file, text })) broken.push(`${file} → ${target}`);
    }
    expect(broken).toEqual([]);
  });
});

describe('installed into a fresh project', () => {
  it('leastpriv --help and --version run from the installed bin', async () => {
    const bin = join(consumer, 'node_modules/.bin/leastpriv');
    expect((await run(bin, ['--help'])).stdout).toMatch(/^Usage: leastpriv <command>/);
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect((await run(bin, ['--version'])).stdout.trim()).toContain(pkg.version);
  });

  it('leastpriv recommend --snapshot … --format json prints the recommendation', async () => {
    const { stdout } = await run(join(consumer, 'node_modules/.bin/leastpriv'), ['recommend', '--snapshot', SNAPSHOT, '--format', 'json'], {
      maxBuffer: 64 * 1024 * 1024,
    });
    const rec = JSON.parse(stdout) as { principal: { Name: string }; summary: { before: { actions: number }; after: { actions: number } } };
    expect(rec.principal.Name).toBe('ci-deploy');
    expect(rec.summary.after.actions).toBeLessThan(rec.summary.before.actions);
  });

  it('an ESM file imports it and a CommonJS file require()s it, with the same result', async () => {
    const body = (load: string) =>
      `${load}\nconst snapshot = JSON.parse(require('node:fs').readFileSync(${JSON.stringify(SNAPSHOT)}, 'utf8'));\n` +
      `recommend({ snapshot }).then((rec) => console.log(JSON.stringify(${SUMMARY})));\n`;
    await writeFile(join(consumer, 'esm.mjs'), body("import { recommend } from 'leastpriv';\nimport { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);"));
    await writeFile(join(consumer, 'cjs.js'), body("const { recommend } = require('leastpriv');"));
    const esm = JSON.parse((await inConsumer('esm.mjs')).stdout) as unknown;
    expect(esm).toEqual({ principal: 'ci-deploy', before: expect.any(Number), after: expect.any(Number) });
    expect(JSON.parse((await inConsumer('cjs.js')).stdout)).toEqual(esm);
  });

  it('a TypeScript CommonJS consumer (.cts, module nodenext) typechecks with the types and runs', async () => {
    await writeFile(
      join(consumer, 'consumer.cts'),
      `import leastpriv = require('leastpriv');\nimport { readFileSync } from 'node:fs';\n` +
        `const snapshot: unknown = JSON.parse(readFileSync(${JSON.stringify(SNAPSHOT)}, 'utf8'));\n` +
        `leastpriv.recommend({ snapshot, unusedDays: 90 }).then((rec: leastpriv.Recommendation) => console.log(JSON.stringify(${SUMMARY})));\n`,
    );
    const compilerOptions = {
      module: 'nodenext',
      target: 'es2022',
      strict: true,
      // as `tsc --init` sets it: the consumer's own code is checked against our types, not every library's .d.ts
      skipLibCheck: true,
      outDir: 'out',
      typeRoots: [join(ROOT, 'node_modules/@types')],
      types: ['node'],
    };
    await writeFile(join(consumer, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['consumer.cts'] }));
    await run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: consumer });
    expect(JSON.parse((await inConsumer('out/consumer.cjs')).stdout)).toEqual({ principal: 'ci-deploy', before: expect.any(Number), after: expect.any(Number) });
  }, 120_000);
});
