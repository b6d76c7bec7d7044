import { errorLine, inputError, isLeastprivError } from '../errors.js';

/**
 * Exit codes, documented in docs/recommend.md. 2 only with --detailed-exitcode, as `terraform plan` does. 130 (128 +
 * SIGINT, as shells report a command Ctrl-C stopped): an account-wide run interrupted, what finished written.
 */
export const EXIT = { ok: 0, error: 1, reductions: 2, interrupted: 130 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** all of standard input (`--snapshot -`); absent where there is none to read */
  readonly stdin?: () => Promise<Uint8Array>;
  /** set when stderr is a terminal: a status line may be redrawn in place there (src/cli/progress.ts) */
  readonly stderrTerminal?: { readonly columns: () => number | undefined };
}

export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stdin: async () => {
    // reading a terminal would wait for a snapshot typed by hand: almost surely a forgotten pipe
    if (process.stdin.isTTY) throw inputError('standard input is a terminal: pipe a snapshot into it (… | leastpriv recommend --snapshot -)');
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  },
  // a "dumb" terminal cannot erase a line
  ...(process.stderr.isTTY && process.env['TERM'] !== 'dumb' ? { stderrTerminal: { columns: () => process.stderr.columns } } : {}),
};

/**
 * The one place an error becomes an exit code and a message. A LeastprivError is the user's problem (or AWS's): one
 * line. Anything else is a bug: one line saying so. `--debug` adds the stack either way.
 */
export function reportError(e: unknown, io: CliIo, debug: boolean): ExitCode {
  const hint = isLeastprivError(e) && e.kind === 'usage' ? " (see 'leastpriv --help')" : '';
  io.stderr(`leastpriv: error: ${errorLine(e)}${hint}\n`);
  if (debug && e instanceof Error && e.stack) io.stderr(`${e.stack}\n`);
  return EXIT.error;
}
