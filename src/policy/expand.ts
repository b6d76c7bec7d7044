import type { Catalog } from '../catalog/catalog.js';
import { globToRegExp } from './glob.js';
import type { NormalizedStatement } from './types.js';

/**
 * Action-pattern expansion against the catalog.
 *
 * Matching follows IAM (see glob.ts): case-insensitive, `*` matches any run of characters, `?` exactly one; every
 * other character is literal, so `s3:Get[*` is just a pattern that matches nothing.
 *
 * A wildcard inside the service prefix (`*:GetObject`, `s3*:Get*`, `*:*`) is matched, as IAM does, against the full
 * `service:Action` ids of the whole catalog: `*:GetObject` is every catalog action named GetObject in any service, and
 * `s3*:Get*` covers s3, s3express, s3-object-lambda, s3tables, ... Such a pattern reports `unknown-service` when its
 * service part matches no catalog service at all. AWS documents only wildcards in the action name, and some evaluators
 * (iam-simulate, iam-expand) match service prefixes literally, so the rewrite never relies on this reading to grant:
 * see rewrite.ts. For NotAction the full-id reading excludes more, which is the narrower, safe direction.
 *
 * Patterns that match nothing are never dropped: they come back as `unknown` with the pattern verbatim, because the
 * service or action may simply be newer than the catalog.
 */
export type PatternExpansion =
  | { readonly kind: 'matched'; readonly pattern: string; readonly actions: readonly string[] }
  | { readonly kind: 'unknown'; readonly pattern: string; readonly reason: 'unknown-service' | 'unknown-action' };

export interface StatementExpansion {
  /** catalog actions the statement applies to (NotAction: catalog minus matched), canonical casing, sorted */
  readonly actions: readonly string[];
  /** patterns that match nothing in the catalog, verbatim, first-seen order, de-duplicated */
  readonly unknown: readonly string[];
}

export function expandPattern(catalog: Catalog, pattern: string): PatternExpansion {
  const index = catalogIndex(catalog);
  const cached = index.patterns.get(pattern);
  if (cached) return cached.expansion;
  const match = matchPattern(index, pattern);
  const expansion: PatternExpansion =
    match.kind === 'matched'
      ? Object.freeze({ kind: 'matched', pattern, actions: Object.freeze(match.indices.map((i) => index.ids[i] as string)) })
      : Object.freeze({ kind: 'unknown', pattern, reason: match.reason });
  remember(index, pattern, { match, expansion });
  return expansion;
}

export function expandStatement(catalog: Catalog, statement: NormalizedStatement): StatementExpansion {
  return expandPatterns(catalog, statement.actions, statement.actionKind === 'NotAction');
}

/**
 * The catalog actions a list of patterns matches (or, `inverted`, every catalog action they do not match), plus the
 * patterns that matched nothing. Shared by expandStatement, the rewrite's self-check and compaction.
 */
export function expandPatterns(catalog: Catalog, patterns: readonly string[], inverted = false): StatementExpansion {
  const index = catalogIndex(catalog);
  const unknown: string[] = [];
  const matches: (readonly number[])[] = [];
  let total = 0;
  for (const pattern of patterns) {
    const match = cachedMatch(catalog, index, pattern);
    if (match.kind === 'unknown') {
      if (!unknown.includes(pattern)) unknown.push(pattern);
      continue;
    }
    matches.push(match.indices);
    total += match.indices.length;
  }
  const ids = index.ids;
  // few matches: sort the indices; many (or an inversion): one pass over a catalog-sized bitmap
  if (!inverted && total * 8 < ids.length) {
    const all = matches.length === 1 ? [...(matches[0] as readonly number[])] : matches.flat().sort((a, b) => a - b);
    const actions: string[] = [];
    let previous = -1;
    for (const i of all) {
      if (i !== previous) actions.push(ids[i] as string);
      previous = i;
    }
    return { actions, unknown };
  }
  const marked = new Uint8Array(ids.length);
  for (const m of matches) for (const i of m) marked[i] = 1;
  const wanted = inverted ? 0 : 1;
  const actions: string[] = [];
  for (let i = 0; i < marked.length; i++) if (marked[i] === wanted) actions.push(ids[i] as string);
  return { actions, unknown };
}

/** true when the service prefix of the pattern carries a wildcard (`*:GetObject`, `s3*:Get*`; not the bare `*`) */
export function hasServiceWildcard(pattern: string): boolean {
  const colon = pattern.indexOf(':');
  return colon > 0 && hasWildcard(pattern.slice(0, colon));
}

/** true when the pattern carries an IAM wildcard (`*` or `?`) */
export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

// ---- per-catalog index, built lazily once per Catalog object ----

type Match =
  | { readonly kind: 'matched'; readonly indices: readonly number[] }
  | { readonly kind: 'unknown'; readonly reason: 'unknown-service' | 'unknown-action' };

interface CachedPattern {
  match: Match;
  expansion: PatternExpansion;
}

interface CatalogIndex {
  /** canonical ids, sorted with the default string order; positions are the indices used everywhere below */
  readonly ids: readonly string[];
  readonly lowerIds: readonly string[];
  /** lower-case action names, parallel to ids */
  readonly lowerNames: readonly string[];
  /** lower-case service prefix → [start, end) in ids; a service's ids are contiguous in sorted order */
  readonly serviceRanges: ReadonlyMap<string, readonly [number, number]>;
  readonly byLowerId: ReadonlyMap<string, number>;
  /** memo of pattern results; bounded so a long-running process cannot grow it without limit */
  readonly patterns: Map<string, CachedPattern>;
}

const MAX_MEMO = 20_000;
const indices = new WeakMap<Catalog, CatalogIndex>();

function catalogIndex(catalog: Catalog): CatalogIndex {
  let index = indices.get(catalog);
  if (!index) {
    index = buildIndex(catalog);
    indices.set(catalog, index);
  }
  return index;
}

function buildIndex(catalog: Catalog): CatalogIndex {
  const ids = catalog
    .all()
    .map((a) => a.id)
    .sort();
  const lowerIds = ids.map((id) => id.toLowerCase());
  const lowerNames = lowerIds.map((id) => id.slice(id.indexOf(':') + 1));
  const serviceRanges = new Map<string, [number, number]>();
  const byLowerId = new Map<string, number>();
  lowerIds.forEach((id, i) => {
    byLowerId.set(id, i);
    const service = id.slice(0, id.indexOf(':'));
    const range = serviceRanges.get(service);
    if (range) range[1] = i + 1;
    else serviceRanges.set(service, [i, i + 1]);
  });
  return { ids, lowerIds, lowerNames, serviceRanges, byLowerId, patterns: new Map() };
}

function cachedMatch(catalog: Catalog, index: CatalogIndex, pattern: string): Match {
  const cached = index.patterns.get(pattern);
  if (cached) return cached.match;
  expandPattern(catalog, pattern);
  return (index.patterns.get(pattern) as CachedPattern).match;
}

function remember(index: CatalogIndex, pattern: string, entry: CachedPattern): void {
  if (index.patterns.size >= MAX_MEMO) index.patterns.clear();
  index.patterns.set(pattern, entry);
}

function matchPattern(index: CatalogIndex, pattern: string): Match {
  const lower = pattern.toLowerCase();
  if (lower === '*' || lower === '*:*') return { kind: 'matched', indices: range(0, index.ids.length) };
  const colon = lower.indexOf(':');
  // the parser rejects patterns without a colon; an unparsed caller still gets an answer, not an exception
  if (colon < 0) return { kind: 'unknown', reason: 'unknown-service' };
  const service = lower.slice(0, colon);
  const action = lower.slice(colon + 1);
  if (hasWildcard(service)) return matchAcrossServices(index, service, lower);
  const span = index.serviceRanges.get(service);
  if (!span) return { kind: 'unknown', reason: 'unknown-service' };
  const [start, end] = span;
  if (action === '*') return { kind: 'matched', indices: range(start, end) };
  if (!hasWildcard(action)) {
    const i = index.byLowerId.get(lower);
    return i === undefined ? { kind: 'unknown', reason: 'unknown-action' } : { kind: 'matched', indices: [i] };
  }
  const regex = globToRegExp(action);
  const found: number[] = [];
  for (let i = start; i < end; i++) if (regex.test(index.lowerNames[i] as string)) found.push(i);
  return found.length > 0 ? { kind: 'matched', indices: found } : { kind: 'unknown', reason: 'unknown-action' };
}

function matchAcrossServices(index: CatalogIndex, servicePart: string, lower: string): Match {
  const regex = globToRegExp(lower);
  const found: number[] = [];
  for (let i = 0; i < index.lowerIds.length; i++) if (regex.test(index.lowerIds[i] as string)) found.push(i);
  if (found.length > 0) return { kind: 'matched', indices: found };
  const serviceRegex = globToRegExp(servicePart);
  const anyService = [...index.serviceRanges.keys()].some((s) => serviceRegex.test(s));
  return { kind: 'unknown', reason: anyService ? 'unknown-action' : 'unknown-service' };
}

function range(start: number, end: number): number[] {
  const out = new Array<number>(end - start);
  for (let i = start; i < end; i++) out[i - start] = i;
  return out;
}
