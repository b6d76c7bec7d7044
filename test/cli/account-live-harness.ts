/**
 * What the account-wide CLI tests against the emulator share: main(argv) in-process with the full catalog and the
 * credentials of a user's shell, the emulator's endpoint flags, fresh folders, and the files of a folder.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startEmulator, type EmulatorFixture, type RunningEmulator } from '../../emulator/index.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { treeOf } from '../batch/run.js';
import { DEMO_FIXTURE_PATH } from '../collect/emulator-harness.js';
import { runCli, useEnvironmentCredentials, type CliRun } from '../support/cli.js';

export interface LiveSuite {
  /** main(argv) with the full catalog */
  readonly run: (...argv: string[]) => Promise<CliRun>;
  /** a new folder path (not created) under the suite's temporary folder */
  readonly fresh: (label: string) => string;
  /** the demo account's emulator, started before the suite's tests */
  readonly demo: () => RunningEmulator;
}

/**
 * Call at the top of a test file: registers the beforeAll (the credentials of a user's shell, the demo emulator) and
 * the afterAll that undoes it and removes the suite's folders.
 */
export function liveSuite(prefix: string): LiveSuite {
  const dir = mkdtempSync(join(tmpdir(), `leastpriv-${prefix}-`));
  const catalog = loadCatalog();
  let restore: (() => void) | undefined;
  let demo: RunningEmulator | undefined;
  beforeAll(async () => {
    restore = useEnvironmentCredentials();
    demo = await startEmulator({ fixture: demoFixtureOnly(), faults: { jobCompletionMs: 60 } });
  });
  afterAll(async () => {
    await demo?.stop();
    restore?.();
    rmSync(dir, { recursive: true, force: true });
  });
  let n = 0;
  return {
    run: async (...argv) => runCli(argv, { catalog: await catalog }),
    fresh: (label) => join(dir, `${label}-${++n}`),
    demo: () => {
      if (demo === undefined) throw new Error('the demo emulator starts in beforeAll');
      return demo;
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

export const readSummary = (out: string): SummaryFile => JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as SummaryFile;

/** the demo account as policies-examples has it (the collect harness's demoFixture() adds principals to it) */
export const demoFixtureOnly = (): EmulatorFixture => JSON.parse(readFileSync(DEMO_FIXTURE_PATH, 'utf8')) as EmulatorFixture;

/** every kind of subject */
export const EVERY_KIND_FLAGS = ['--all-roles', '--all-users', '--all-groups', '--all-policies'];

export const allow = (...actions: string[]) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] });

/** the subject folders below `out`: kind/name, or account/kind/name when `depth` is 3 */
export function foldersOf(out: string, depth = 2): string[] {
  const paths = [...treeOf(out).keys()].filter((f) => f.split('/').length > depth);
  return [...new Set(paths.map((f) => f.split('/').slice(0, depth).join('/')))].sort();
}

export { treeOf };
