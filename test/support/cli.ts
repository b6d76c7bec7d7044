/** Runs the CLI in-process, as main() is called by the bin, and collects what it prints. */
import type { Catalog } from '../../src/catalog/catalog.js';
import { main } from '../../src/cli/main.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function cliRunner(getCatalog: () => Catalog): (...argv: string[]) => Promise<CliRun> {
  return async (...argv) => {
    let stdout = '';
    let stderr = '';
    const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) }, { catalog: getCatalog() });
    return { code, stdout, stderr };
  };
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
