/**
 * Runs the CLI in-process through main(argv, io) over the small test catalog, collecting what it prints; `stdin` is
 * what the run finds on standard input (none when absent).
 */
import { main } from '../../src/cli/main.js';
import { catalog } from './snapshots.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runCli(argv: readonly string[], options: { stdin?: Uint8Array | string } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const { stdin } = options;
  const io = {
    stdout: (t: string) => (stdout += t),
    stderr: (t: string) => (stderr += t),
    ...(stdin === undefined ? {} : { stdin: async () => (typeof stdin === 'string' ? new TextEncoder().encode(stdin) : stdin) }),
  };
  const code = await main(argv, io, { catalog });
  return { code, stdout, stderr };
}
