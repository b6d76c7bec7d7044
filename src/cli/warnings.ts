import type { SdkLogger } from '../collect/credentials.js';

/**
 * The AWS SDK warns in paragraphs, by three routes: process.emitWarning (the Node-version notice), the client's
 * logger (with a logger given: "Multiple credential sources detected"), and console.warn (everything else, and the
 * logger's warnings when no logger is given). On the command line each becomes ONE line, said once; library users
 * keep the SDK's behaviour, since only the CLI installs this.
 */
export interface WarningLines {
  /** the logger to give the SDK clients: its warn() is a warning line, the rest (call logs, errors) is the CLI's to say */
  logger: SdkLogger;
  /** runs `work` with console.warn and the process's warnings turned into warning lines, then puts both back */
  capture<T>(work: () => Promise<T>): Promise<T>;
}

export interface WarningContext {
  /** --profile was given: it is meant to win over the environment's key pair, as in the AWS CLI */
  profileFlag: boolean;
}

/** `print` writes one line (the progress line draws around it). */
export function warningLines(print: (line: string) => void, context: WarningContext): WarningLines {
  const said = new Set<string>();
  const warn = (...content: unknown[]): void => {
    const summary = oneLineWarning(content.map(text).join(' '), context);
    if (summary === undefined) return;
    const line = `leastpriv: warning: ${summary}`;
    if (said.has(line)) return;
    said.add(line);
    print(line);
  };
  const logger: SdkLogger = { debug: () => {}, info: () => {}, warn, error: () => {} };
  return {
    logger,
    capture: async (work) => {
      const consoleWarn = console.warn;
      const listeners = process.listeners('warning');
      const onWarning = (warning: Error): void => warn(warning.message);
      console.warn = warn;
      // Node's own listener prints the warning in full, plus a --trace-warnings hint: replaced while `work` runs
      process.removeAllListeners('warning');
      process.on('warning', onWarning);
      try {
        return await work();
      } finally {
        // a warning is emitted on the next tick: let the last ones arrive before the listeners are put back
        await new Promise((resolve) => setImmediate(resolve));
        console.warn = consoleWarn;
        process.off('warning', onWarning);
        for (const listener of listeners) process.on('warning', listener);
      }
    },
  };
}

/** Known SDK warnings, said as what to do (or not at all); others are shortened to their first paragraph. */
const KNOWN: { test: RegExp; say: (text: string, context: WarningContext) => string | undefined }[] = [
  {
    test: /Multiple credential sources detected/,
    say: (_, context) =>
      context.profileFlag
        ? undefined
        : 'both AWS_PROFILE and AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY are set; the AWS SDK uses the profile: unset one of them, or choose with --profile',
  },
  {
    test: /NodeVersionSupportWarning/,
    say: (text) => {
      const needs = /node >=\s*(\d+)/i.exec(text)?.[1];
      const after = /published after (.+?)\s+will require/s.exec(text)?.[1]?.replace(/\s+/g, ' ');
      return (
        `the AWS SDK for JavaScript will need Node.js ${needs !== undefined ? `>= ${needs}` : 'a newer version'}` +
        `${after !== undefined ? ` in its releases published after ${after}` : ''} (this is Node.js ${process.version})`
      );
    },
  },
];

/**
 * One line: a known warning's advice, or its first paragraph without the SDK's prefix ("@aws-sdk/pkg - function
 * WARNING:", "@aws-sdk - WARN -", "@smithy/pkg WARN -").
 */
export function oneLineWarning(text: string, context: WarningContext): string | undefined {
  const known = KNOWN.find((k) => k.test.test(text));
  if (known) return known.say(text, context);
  const [first = ''] = text.trim().split(/\n\s*\n/);
  return first
    .replace(/^\S+(?: - \S+)? (?:- )?(?:WARNING|WARN)\b[:\s-]*/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Error) return value.message;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
