/**
 * What the account-wide CLI tests against the emulator share: main(argv) in-process with the full catalog and the
 * credentials of a user's shell, the emulator's endpoint flags, fresh folders, and the files of a folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningEmulator } from '../../emulator/index.js';
import type { Catalog } from '../../src/catalog/catalog.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { treeOf } from '../batch/run.js';
import { cliRunner, useEnvironmentCredentials, type CliRun } from '../support/cli.js';

export interface LiveCli {
  /** main(argv) with the full catalog */
  readonly run: (...argv: string[]) => Promise<CliRun>;
  /** a new folder path (not created) under the suite's temporary folder */
  readonly fresh: (label: string) => string;
  /** call in afterAll: restores the environment, removes the folders */
  readonly done: () => void;
}

/** call in beforeAll */
export async function liveCli(prefix: string): Promise<LiveCli> {
  const catalog: Catalog = await loadCatalog();
  const restore = useEnvironmentCredentials();
  const dir = mkdtempSync(join(tmpdir(), `leastpriv-${prefix}-`));
  let n = 0;
  return {
    run: cliRunner(() => catalog),
    fresh: (label) => join(dir, `${label}-${++n}`),
    done: () => {
      restore();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** --endpoint-url and --region of the emulator */
export const aws = (emulator: RunningEmulator): string[] => ['--endpoint-url', emulator.endpoint, '--region', 'us-east-1'];

/** the files of `root/prefix/` by path relative to it */
export function filesBelow(root: string, prefix = ''): Map<string, string> {
  const start = prefix === '' ? '' : `${prefix}/`;
  return new Map([...treeOf(root)].filter(([f]) => f.startsWith(start)).map(([f, t]) => [f.slice(start.length), t]));
}

export interface SummaryRow {
  readonly account: string;
  readonly kind: 'role' | 'user' | 'group' | 'policy';
  readonly name: string;
  readonly arn: string;
  readonly status: string;
  readonly folder?: string;
  readonly error?: string;
  readonly reason?: string;
}

export interface SummaryFile {
  readonly interrupted: boolean;
  readonly totals: Record<string, number>;
  readonly accounts: readonly { account: string; status: string; error?: string }[];
  readonly subjects: readonly SummaryRow[];
}

export { treeOf };
