import type { Catalog } from '../src/catalog/catalog.js';
import type { Account, Caller } from './account.js';
import { constraintError, invalidInput } from './api-error.js';
import type { FaultOptions } from './faults.js';
import type { JobStore } from './jobs.js';
import type { SessionStore } from './sessions.js';
import type { ComputedReport, Granularity } from './reports.js';
import type { XmlValue } from './xml.js';

export interface ServiceReport extends ComputedReport {
  granularity: Granularity;
}

export interface OrganizationsReport {
  details: Record<string, XmlValue>[];
  accessible: number;
  notAccessed: number;
}

/** What a Query-protocol operation handler sees. */
export interface QueryContext {
  operation: string;
  params: URLSearchParams;
  caller: Caller;
  /** the account the request is served from: the caller's (an assumed role's account), else the home account */
  account: Account;
  catalog: Catalog;
  serviceJobs: JobStore<ServiceReport>;
  organizationsJobs: JobStore<OrganizationsReport>;
  /** every account the emulator serves (home and members), by id: AssumeRole's targets */
  accounts: ReadonlyMap<string, Account>;
  sessions: SessionStore;
  /** the configured page-size cap of this operation, if any */
  pageSize: number | undefined;
  faults: FaultOptions;
}

export type QueryResult = Record<string, XmlValue> | undefined;
export type QueryHandler = (ctx: QueryContext) => QueryResult;

/** names in code-point order (what moto's listings use where the API documents no order) */
export const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

export function required(ctx: QueryContext, name: string): string {
  const v = ctx.params.get(name);
  if (v === null || v === '') {
    throw constraintError(`Value null at '${lowerFirst(name)}' failed to satisfy constraint: Member must not be null`);
  }
  return v;
}

export function optional(ctx: QueryContext, name: string): string | undefined {
  const v = ctx.params.get(name);
  return v === null || v === '' ? undefined : v;
}

/** an optional parameter that must be one of the model's enum values, else IAM's constraint ValidationError */
export function enumParam<T extends string>(ctx: QueryContext, name: string, values: readonly T[]): T | undefined {
  const v = optional(ctx, name);
  if (v === undefined || (values as readonly string[]).includes(v)) return v as T | undefined;
  throw constraintError(
    `Value '${v}' at '${lowerFirst(name)}' failed to satisfy constraint: ` +
      `Member must satisfy enum value set: [${values.join(', ')}]`,
  );
}

/** the model's pathType pattern: "/" alone, or printable ASCII between two slashes */
const PATH_PREFIX = /^(\/|\/[\u0021-\u007F]+\/)$/;
const PATH_PATTERN_TEXT = '(\\u002F)|(\\u002F[\\u0021-\\u007F]+\\u002F)';

/** `PathPrefix` of the list operations: default "/" (everything), validated against the model's pattern */
export function pathPrefix(ctx: QueryContext): string {
  const v = optional(ctx, 'PathPrefix') ?? '/';
  if (!PATH_PREFIX.test(v)) {
    throw constraintError(
      `Value '${v}' at 'pathPrefix' failed to satisfy constraint: Member must satisfy regular expression pattern: ${PATH_PATTERN_TEXT}`,
    );
  }
  return v;
}

const MARKER_PREFIX = 'lpemu1:';

function decodeMarker(marker: string): number {
  const text = Buffer.from(marker, 'base64').toString('utf8');
  const n = text.startsWith(MARKER_PREFIX) ? Number(text.slice(MARKER_PREFIX.length)) : NaN;
  if (!Number.isInteger(n) || n < 0) throw invalidInput('Invalid Marker.');
  return n;
}

function encodeMarker(offset: number): string {
  return Buffer.from(MARKER_PREFIX + offset).toString('base64');
}

/**
 * IsTruncated/Marker pagination. The page holds min(MaxItems, the configured page size) items, so like IAM it may
 * return fewer than MaxItems while more remain. `defaultMaxItems`: what IAM uses without MaxItems.
 */
export function paginate<T>(
  ctx: QueryContext,
  items: readonly T[],
  defaultMaxItems = 100,
): { page: T[]; IsTruncated: boolean; Marker?: string } {
  const rawMax = optional(ctx, 'MaxItems');
  let max = defaultMaxItems;
  if (rawMax !== undefined) {
    const n = Number(rawMax);
    if (!Number.isInteger(n) || n < 1 || n > 1000) {
      const bound = n < 1 ? 'greater than or equal to 1' : 'less than or equal to 1000';
      throw constraintError(`Value '${rawMax}' at 'maxItems' failed to satisfy constraint: Member must have value ${bound}`);
    }
    max = n;
  }
  if (ctx.pageSize !== undefined) max = Math.min(max, ctx.pageSize);
  const marker = optional(ctx, 'Marker');
  const start = marker === undefined ? 0 : decodeMarker(marker);
  if (start > items.length) throw invalidInput('Invalid Marker.');
  const page = items.slice(start, start + max);
  const next = start + page.length;
  return next < items.length ? { page, IsTruncated: true, Marker: encodeMarker(next) } : { page, IsTruncated: false };
}
