import { isValid, parseISO } from 'date-fns';

/**
 * The words a reader sees for counts and dates, in one place: every sentence of explanation.md, the warnings, the
 * plans' reasons, the errors and the CLI's lines goes through these, so a count agrees with its noun and a date has one
 * shape (to the minute, or exact where a message compares instants).
 * No dependencies beyond date-fns: the analysis and generation stages use it for their messages as well.
 */

/** a count as written in prose: `1,234` (en-US grouping, never the host's locale) */
export const num = (n: number): string => n.toLocaleString('en-US');

/** the form of a word that agrees with `n`: a noun (`policy`/`policies`) or a verb (`stays`/`stay`) */
export function plural(n: number, one: string, many = `${one}s`): string {
  return n === 1 ? one : many;
}

/** a count and its noun: `1 principal`, `2 principals`, `1,010 days`, `0 policies` */
export function counted(n: number, one: string, many = `${one}s`): string {
  return `${num(n)} ${plural(n, one, many)}`;
}

/** the noun after a change of count (`1 → 1 action`, `2 → 1 actions`, `1 → 0 actions`): singular only when both are 1 */
export function pluralChange(before: number, after: number, one: string, many = `${one}s`): string {
  return before === 1 && after === 1 ? one : many;
}

const two = (n: number): string => String(n).padStart(2, '0');

/** `2026-11-20`: the UTC calendar day of an ISO-8601 date-time. A value that does not parse is shown as it is. */
export function formatDate(iso: string): string {
  const d = parseISO(iso);
  return isValid(d) ? `${String(d.getUTCFullYear()).padStart(4, '0')}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}` : iso;
}

/**
 * `2026-11-20 09:00 UTC`: an ISO-8601 date-time for a reader, always in UTC (never the host's zone), to the minute.
 * recommendation.json keeps the ISO values themselves.
 */
export function formatDateTime(iso: string): string {
  const d = parseISO(iso);
  return isValid(d) ? `${formatDate(iso)} ${hoursMinutes(d)} UTC` : iso;
}

const hoursMinutes = (d: Date): string => `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;

/**
 * `2026-11-20 09:00 UTC`, `2026-11-20 09:00:03 UTC`, `2026-11-20 09:00:03.642 UTC`: formatDateTime, but never rounded,
 * for a message that compares instants (an `--as-of` one second after JobCompletionDate must not print as that date).
 * Seconds and milliseconds are shown only when the instant has them.
 */
export function formatExactDateTime(iso: string): string {
  const d = parseISO(iso);
  if (!isValid(d)) return iso;
  const ms = d.getUTCMilliseconds();
  const seconds = d.getUTCSeconds() === 0 && ms === 0 ? '' : `:${two(d.getUTCSeconds())}${ms === 0 ? '' : `.${String(ms).padStart(3, '0')}`}`;
  return `${formatDate(iso)} ${hoursMinutes(d)}${seconds} UTC`;
}
