import { awsError } from '../errors.js';

/** Snapshot dates are ISO-8601 strings of the Dates the SDK parsed from AWS's answer (never the local clock). */
export function isoDate(date: Date | undefined): string | undefined {
  return date === undefined ? undefined : date.toISOString();
}

/** For fields the API always returns; a missing one is reported as AWS's omission, not ours. */
export function requiredIsoDate(date: Date | undefined, field: string): string {
  if (date === undefined) throw awsError(`AWS omitted ${field}`);
  return date.toISOString();
}

/** Drops undefined fields, so a collected object equals its JSON round trip (and the hand-written snapshot shape). */
export function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
