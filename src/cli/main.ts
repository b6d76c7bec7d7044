#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { CliHooks } from './hooks.js';
import { toolVersion } from '../tool-version.js';
import { usageError } from '../errors.js';
import { runCollect } from './commands/collect.js';
import { recommendCommand } from './commands/recommend-live.js';
import { EXIT, processIo, reportError, type CliIo, type ExitCode } from './exit.js';

export const MAIN_HELP = `Usage: leastpriv <command> [options]

Commands:
  recommend    trim a principal's policies from a snapshot, or live from AWS (leastpriv recommend --help)
  collect      read a principal's policies and last-accessed report from AWS into a snapshot (read-only)

Options:
  --version    print the version
  -h, --help   this help
`;

type Command = (argv: readonly string[], io: CliIo, hooks: CliHooks) => Promise<ExitCode>;

/** Subcommands by name. */
export const COMMANDS: Record<string, Command> = {
  recommend: recommendCommand,
  collect: runCollect,
};

/**
 * The CLI entry point, argv without `node` and the script. Returns the exit code; never throws, never exits, so
 * tests call it directly.
 */
export async function main(argv: readonly string[], io: CliIo = processIo, hooks: CliHooks = {}): Promise<ExitCode> {
  const debug = argv.includes('--debug');
  try {
    const [first, ...rest] = argv;
    if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
      io.stdout(MAIN_HELP);
      return first === undefined ? EXIT.error : EXIT.ok;
    }
    if (first === '--version' || first === '-v') {
      io.stdout(`${await toolVersion()}\n`);
      return EXIT.ok;
    }
    const command = COMMANDS[first];
    if (!command) throw usageError(first.startsWith('-') ? `unknown option ${first}` : `unknown command "${first}"`);
    return await command(rest, io, hooks);
  } catch (e) {
    return reportError(e, io, debug);
  }
}

function invokedDirectly(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  // `leastpriv recommend … | head` closes the pipe early: that is not an error
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  process.exitCode = await main(process.argv.slice(2));
}
