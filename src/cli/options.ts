import { parseArgs, type ParseArgsConfig } from 'node:util';
import { usageError } from '../errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** What parseArgs returns for `options`: booleans for boolean flags, strings otherwise (a list for a repeatable
 *  option), absent when not given. */
export type ParsedValues<O extends Options> = {
  [K in keyof O]?: O[K] extends { type: 'boolean' } ? boolean : O[K] extends { multiple: true } ? string[] : string;
};

/**
 * node:util parseArgs with leastpriv's error style: an unknown flag or a missing value becomes a one-line usage
 * error naming the flag, never node's multi-line TypeError. A value starting with '-' is a value (see
 * attachDashValues), so the option's own check can say what is wrong with it.
 */
export function parseCommandArgs<O extends Options>(
  argv: readonly string[],
  options: O,
  command: string,
): { values: ParsedValues<O> } {
  let parsed: { values: object; tokens: Token[] };
  try {
    parsed = parseArgs({ args: attachDashValues(argv, options), options, strict: true, allowPositionals: false, tokens: true });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const unknown = /Unknown option '([^']+)'/.exec(msg);
    if (unknown) throw usageError(`${command}: unknown option ${unknown[1]}`);
    const positional = /Unexpected argument '([^']+)'/.exec(msg);
    if (positional) throw usageError(`${command}: unexpected argument ${JSON.stringify(positional[1])}`);
    const noValue = /^Option '(?:-\w, )?(-[^' ]+)(?: <value>)?' argument (?:missing|is ambiguous)/.exec(msg);
    if (noValue) throw usageError(`${command}: ${noValue[1]} needs a value`);
    throw usageError(`${command}: ${msg.split('\n')[0]}`);
  }
  refuseRepeatedValues(parsed.tokens, command, options);
  return { values: parsed.values as ParsedValues<O> };
}

type Token = NonNullable<ReturnType<typeof parseArgs>['tokens']>[number];

/**
 * parseArgs keeps the last of `--out a --out b` silently, so one of two values the user meant is dropped. A value
 * option given twice is refused; a repeated boolean flag loses nothing and is let through.
 */
function refuseRepeatedValues(tokens: readonly Token[], command: string, options: Options): void {
  const seen = new Map<string, string>();
  for (const t of tokens) {
    // an option declared repeatable keeps every value
    if (t.kind !== 'option' || t.value === undefined || options[t.name]?.multiple === true) continue;
    const first = seen.get(t.name);
    if (first !== undefined) {
      throw usageError(`${command}: --${t.name} is given twice (${JSON.stringify(first)} and ${JSON.stringify(t.value)}): give it once`);
    }
    seen.set(t.name, t.value);
  }
}

/**
 * True when `token` reads as a flag rather than a value: `--` or anything starting with `--`, or one of the
 * command's short flags (`-h`). Other tokens starting with a single '-' (`-3`, `-old.json`) are values.
 */
export function looksLikeFlag(token: string, options: Options): boolean {
  if (token.startsWith('--')) return true;
  return /^-[A-Za-z]$/.test(token) && Object.values(options).some((o) => o.short === token.slice(1));
}

/**
 * parseArgs refuses `--unused-days -3` as "ambiguous" (a multi-line message about '--unused-days=-XYZ'). A string
 * option followed by a token that does not look like a flag takes that token as its value, written attached
 * (`--unused-days=-3`), like getopt does; a following flag leaves the option without a value, which parseArgs reports.
 */
export function attachDashValues(argv: readonly string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string;
    if (token === '--') return [...out, ...argv.slice(i)];
    const name = stringOptionName(token, options);
    const next = argv[i + 1];
    if (name !== undefined && next !== undefined && next.startsWith('-') && !looksLikeFlag(next, options)) {
      out.push(`--${name}=${next}`);
      i++;
    } else {
      out.push(token);
    }
  }
  return out;
}

/** the long name of the string option `token` names without a value (`--out`, or its short `-o`) */
function stringOptionName(token: string, options: Options): string | undefined {
  const long = /^--([^=]+)$/.exec(token)?.[1];
  const short = /^-([A-Za-z])$/.exec(token)?.[1];
  const name = long ?? Object.keys(options).find((k) => short !== undefined && options[k]?.short === short);
  return name !== undefined && options[name]?.type === 'string' ? name : undefined;
}

/** Flags every command accepts. */
export const COMMON_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  debug: { type: 'boolean' },
} as const;
