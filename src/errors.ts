/**
 * The small set of typed errors leastpriv raises. Every error a user can cause maps to one kind; the CLI maps kinds
 * to exit codes in one place (src/cli/exit.ts) and prints `message` as a single line. Anything that is not a
 * LeastprivError is a bug and is reported as such.
 */
export type ErrorKind =
  /** bad command line: unknown flag, missing value, bad number */
  | 'usage'
  /** input that could not be read or does not validate: missing file, bad JSON, schema violation, bad ARN */
  | 'input'
  /** AWS said no, or the run against AWS could not finish: AccessDenied, NoSuchEntity, FAILED job, timeout */
  | 'aws'
  /** the result cannot be expressed within AWS limits, said plainly */
  | 'limit'
  /** writing output failed */
  | 'output'
  /** a self-check failed: the tool would have produced something wrong. Always a bug. */
  | 'invariant';

export class LeastprivError extends Error {
  readonly kind: ErrorKind;
  constructor(kind: ErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LeastprivError';
    this.kind = kind;
  }
}

export const usageError = (message: string): LeastprivError => new LeastprivError('usage', message);
export const inputError = (message: string): LeastprivError => new LeastprivError('input', message);
export const awsError = (message: string, cause?: unknown): LeastprivError =>
  new LeastprivError('aws', message, { cause });
export const limitError = (message: string): LeastprivError => new LeastprivError('limit', message);
export const outputError = (message: string, cause?: unknown): LeastprivError =>
  new LeastprivError('output', message, { cause });
export const invariantError = (message: string): LeastprivError => new LeastprivError('invariant', message);

export function isLeastprivError(e: unknown): e is LeastprivError {
  return e instanceof LeastprivError;
}

/**
 * Any error as the one line a user reads (the CLI's message, a failed subject's row in an account-wide index): a
 * LeastprivError is the user's problem (or AWS's); anything else is a bug, and the line says so.
 */
export function errorLine(e: unknown): string {
  const message = isLeastprivError(e)
    ? e.kind === 'invariant'
      ? `internal check failed (a bug, please report it): ${e.message}`
      : e.message
    : `unexpected failure (a bug, please report it): ${e instanceof Error ? e.message : String(e)}`;
  return message.replace(/\s*\n\s*/g, ' ');
}
