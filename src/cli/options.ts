import { parseArgs, type ParseArgsConfig } from 'node:util';
import { usageError } from '../errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * node:util parseArgs with leastpriv's error style: an unknown flag or a missing value becomes a one-line usage
 * error naming the flag, never node's multi-line TypeError.
 */
/** What parseArgs returns for `options`: booleans for boolean flags, strings otherwise, absent when not given. */
export type ParsedValues<O extends Options> = { [K in keyof O]?: O[K] extends { type: 'boolean' } ? boolean : string };

export function parseCommandArgs<O extends Options>(
  argv: readonly string[],
  options: O,
  command: string,
): { values: ParsedValues<O> } {
  try {
    const { values } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false });
    return { values: values as ParsedValues<O> };
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const unknown = /Unknown option '([^']+)'/.exec(msg);
    if (unknown) throw usageError(`${command}: unknown option ${unknown[1]}`);
    const positional = /Unexpected argument '([^']+)'/.exec(msg);
    if (positional) throw usageError(`${command}: unexpected argument ${JSON.stringify(positional[1])}`);
    throw usageError(`${command}: ${msg.split('\n')[0]}`);
  }
}

/** Flags every command accepts. */
export const COMMON_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  debug: { type: 'boolean' },
} as const;
