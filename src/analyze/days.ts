/**
 * Day arithmetic in 24-hour days on the UTC time line. date-fns's addDays/subDays/differenceInDays step through the
 * host's local calendar: across a daylight-saving change the threshold moved by an hour (a use 89 days 23.5 hours
 * old was "older than 90 days" on a Sydney host) and the output bytes depended on the host's time zone.
 */
const DAY_MS = 86_400_000;

/** whole days from `earlier` to `later`, truncated towards zero (negative when `later` is earlier) */
export function wholeDaysBetween(later: Date, earlier: Date): number {
  return Math.trunc((later.getTime() - earlier.getTime()) / DAY_MS);
}

/** the instant `days` × 24 hours before `time` */
export function daysBefore(time: Date, days: number): Date {
  return new Date(time.getTime() - days * DAY_MS);
}

/** the instant `days` × 24 hours after `time` */
export function daysAfter(time: Date, days: number): Date {
  return new Date(time.getTime() + days * DAY_MS);
}
