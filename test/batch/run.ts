import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { AccountCollector } from '../../src/batch/types.js';
import { main } from '../../src/cli/main.js';
import type { CliRun } from '../support/cli.js';
import { catalog } from '../support/snapshots.js';

/** main(argv) with the test catalog and, for live account-wide runs, a fake collector */
export async function runBatchCli(argv: readonly string[], collect?: AccountCollector): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io = { stdout: (t: string) => (stdout += t), stderr: (t: string) => (stderr += t) };
  const code = await main(argv, io, { catalog, ...(collect === undefined ? {} : { collectAccounts: collect }) });
  return { code, stdout, stderr };
}

/** every file below `dir` → its text, by '/'-separated relative path */
export function treeOf(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(dir, path).split(sep).join('/'), readFileSync(path, 'utf8'));
    }
  };
  walk(dir);
  return files;
}
