import { isValid, parseISO } from 'date-fns';
import { usageError } from '../errors.js';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** `--as-of`: a date (midnight UTC) or an ISO-8601 date-time with a zone. A zone-less time would depend on the host. */
export function parseAsOf(value: string): Date {
  const iso = DATE_ONLY.test(value) ? `${value}T00:00:00Z` : value;
  const date = parseISO(iso);
  if (!(DATE_ONLY.test(value) || DATE_TIME.test(value)) || !isValid(date)) {
    throw usageError(`--as-of: ${JSON.stringify(value)} is not a date (YYYY-MM-DD) or an ISO-8601 date-time with a zone`);
  }
  return date;
}

export const MAX_UNUSED_DAYS = 3650;

/** `--unused-days`: a whole number of days, 1 … 3650. */
export function parseUnusedDays(value: string | number): number {
  const n = typeof value === 'number' ? value : /^\d+$/.test(value.trim()) ? Number(value.trim()) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_UNUSED_DAYS) {
    throw usageError(`--unused-days: ${JSON.stringify(value)} is not a whole number of days from 1 to ${MAX_UNUSED_DAYS}`);
  }
  return n;
}
