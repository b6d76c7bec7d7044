/**
 * Runs the CLI in-process through main(argv, io), collecting what it prints; `stdin` is what the run finds on standard
 * input (none when absent). The catalog is the small test catalog unless a test gives the full one.
 */
import type { Catalog } from '../../src/catalog/catalog.js';
import { main } from '../../src/cli/main.js';
import { catalog as testCatalog } from './snapshots.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runCli(
  argv: readonly string[],
  options: { stdin?: Uint8Array | string; catalog?: Catalog } = {},
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const { stdin } = options;
  const io = {
    stdout: (t: string) => (stdout += t),
    stderr: (t: string) => (stderr += t),
    ...(stdin === undefined ? {} : { stdin: async () => (typeof stdin === 'string' ? new TextEncoder().encode(stdin) : stdin) }),
  };
  const code = await main(argv, io, { catalog: options.catalog ?? testCatalog });
  return { code, stdout, stderr };
}

/** runCli with a catalog known only once a beforeAll has loaded it (the full catalog). */
export function cliRunner(getCatalog: () => Catalog): (...argv: string[]) => Promise<CliRun> {
  return (...argv) => runCli(argv, { catalog: getCatalog() });
}

/** The default credential chain as a user's shell provides it (keys in the environment), undone by the returned function. */
export function useEnvironmentCredentials(): () => void {
  const saved = { ...process.env };
  delete process.env['AWS_PROFILE'];
  process.env['AWS_ACCESS_KEY_ID'] = 'AKIDDEMO';
  process.env['AWS_SECRET_ACCESS_KEY'] = 'not-checked';
  return () => {
    process.env = saved;
  };
}
