/**
 * Account-wide offline replay benchmark (`recommend --snapshot-dir DIR --out OUT` through the runner): 1,000 role
 * snapshots (bench/recommend.ts's varied ones, renamed) written as collect --all-roles lays them out, then recommended
 * into one folder each with index.md and summary.json. Wall time and peak RSS; target < 30 s, < 500 MB.
 * `export run()` for bench/run.ts; also runnable alone (`node dist/bench/batch-offline.js`).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { replaySnapshotDir } from '../src/batch/replay.js';
import { loadCatalog } from '../src/catalog/load.js';
import { snapshotJson } from '../src/snapshot/describe.js';
import { variedSnapshot, type BenchLine } from './recommend.js';

const SUBJECTS = 1000;

export async function run(): Promise<BenchLine[]> {
  const dir = mkdtempSync(join(tmpdir(), 'leastpriv-bench-batch-'));
  try {
    const catalog = await loadCatalog();
    const snapshots = join(dir, 'snapshots');
    mkdirSync(join(snapshots, 'role'), { recursive: true });
    for (let i = 0; i < SUBJECTS; i++) writeFileSync(join(snapshots, 'role', `role-${i}.json`), snapshotJson(variedSnapshot(catalog, i)));
    const rssBefore = process.memoryUsage().rss;
    const t0 = performance.now();
    const result = await replaySnapshotDir({ snapshotDir: snapshots, out: join(dir, 'out'), recommend: { catalog, toolVersion: 'bench', render: {} } });
    const seconds = (performance.now() - t0) / 1000;
    const peakMb = process.resourceUsage().maxRSS / 1024;
    const reduced = result.subjects.filter((s) => s.status === 'recommended' && s.outcome === 'reductions-recommended').length;
    const failed = result.subjects.filter((s) => s.status === 'failed').length;
    return [
      {
        name: 'recommend --snapshot-dir: 1,000 role snapshots replayed offline into folders, index.md and summary.json',
        value:
          `${seconds.toFixed(1)} s (${((seconds * 1000) / SUBJECTS).toFixed(1)} ms each; ${reduced} with reductions, ${failed} failed), ` +
          `peak RSS ${Math.round(peakMb)} MB (process peak so far; ${Math.round(rssBefore / 2 ** 20)} MB before the run) (target < 30 s, < 500 MB)`,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const line of await run()) process.stdout.write(`${line.name}: ${line.value}\n`);
}
