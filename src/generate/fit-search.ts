import type { PolicyAnalysis } from '../analyze/types.js';
import type { Catalog } from '../catalog/catalog.js';
import { grantsEverything } from '../policy/index.js';
import type { NormalizedStatement, PolicyDocument } from '../policy/types.js';
import type { KeptWhole } from './plan-facts.js';
import { trimPolicy, type KeepUnit, type Trimmed } from './trim.js';

/** One policy taking part in a fit: its analysis and what it may lose. */
export interface FitPolicy {
  readonly pa: PolicyAnalysis;
  readonly removable: readonly string[];
  readonly held: readonly string[];
}

/** The documents a trimmed policy proposes once made to fit alone (compacted, say), or why it cannot. */
export type Prepared =
  | { readonly kind: 'fits'; readonly documents: readonly PolicyDocument[]; readonly introducedWildcards: readonly string[] }
  | { readonly kind: 'too-large'; readonly documents: readonly PolicyDocument[]; readonly message: string };

export interface FitSearchInput {
  readonly catalog: Catalog;
  readonly policies: readonly FitPolicy[];
  /** each policy's documents from its trimmed document: as is when it fits, else compacted */
  readonly prepare: (trimmed: Trimmed, pa: PolicyAnalysis) => Prepared;
  /** the limit every policy's documents must meet together (a single policy's size, an inline aggregate) */
  readonly measure: (documents: readonly (readonly PolicyDocument[])[]) => { readonly fits: boolean; readonly size: number; readonly limit: number };
}

export interface FitSearchResult {
  readonly fits: boolean;
  readonly size: number;
  readonly limit: number;
  /** the size with everything trimmed (before any part was kept as written) */
  readonly trimmedSize: number;
  readonly policies: readonly { readonly trimmed: Trimmed; readonly prepared: Prepared; readonly keptWhole: readonly KeptWhole[] }[];
}

/** Rounds of the search: each adds the parts estimated to make room, so a few rounds settle even a `*` statement. */
const MAX_ROUNDS = 24;

/**
 * The proposal that removes the most while every limit holds. Each policy is trimmed as far as the data allows; when
 * the documents do not fit, parts are carried as written instead, cheapest first: a service's part of a statement
 * (`service:*` under `*`, or its own patterns) costs the unused actions of that service it keeps, and saves the
 * characters its narrowed list takes; parts are added by best saving per kept action until the estimated saving
 * covers the excess, then measured again. Only when no service part saves room is a whole statement carried as
 * written (the one whose narrowing grew it most). A smaller removal is chosen only where the larger cannot fit.
 * Bounded: at most MAX_ROUNDS trims of each policy.
 */
export function fitSearch(input: FitSearchInput): FitSearchResult {
  const { catalog, policies } = input;
  const units: KeepUnit[][] = policies.map(() => []);
  const trim = (i: number): { trimmed: Trimmed; prepared: Prepared } => {
    const p = policies[i] as FitPolicy;
    const trimmed = trimPolicy({ catalog, pa: p.pa, removable: p.removable, held: p.held, keepAsWritten: units[i] as KeepUnit[] });
    return { trimmed, prepared: input.prepare(trimmed, p.pa) };
  };
  let state = policies.map((_, i) => trim(i));
  let trimmedSize: number | undefined;
  for (let round = 0; ; round++) {
    const measured = input.measure(state.map((s) => s.prepared.documents));
    trimmedSize ??= measured.size;
    const done = (fits: boolean): FitSearchResult => ({
      fits,
      size: measured.size,
      limit: measured.limit,
      trimmedSize: trimmedSize ?? measured.size,
      policies: state.map((s, i) => ({ ...s, keptWhole: keptWholeFacts(policies[i] as FitPolicy, units[i] as KeepUnit[]) })),
    });
    if (measured.fits && state.every((s) => s.prepared.kind === 'fits')) return done(true);
    if (round >= MAX_ROUNDS) return done(false);
    const excess = Math.max(1, measured.size - measured.limit);
    const changed = chooseParts({ policies, state, units, excess });
    if (changed.size === 0) return done(false);
    state = state.map((s, i) => (changed.has(i) ? trim(i) : s));
  }
}

interface Candidate {
  readonly policy: number;
  readonly unit: KeepUnit;
  /** characters saved (estimated) */
  readonly gain: number;
  /** unused actions given up */
  readonly cost: number;
}

/** Adds the parts to carry as written this round; returns the policies that changed. */
function chooseParts(input: {
  policies: readonly FitPolicy[];
  state: readonly { trimmed: Trimmed; prepared: Prepared }[];
  units: KeepUnit[][];
  excess: number;
}): Set<number> {
  const { policies, state, units, excess } = input;
  const candidates = state
    .flatMap((s, i) => serviceParts(policies[i] as FitPolicy, i, s.trimmed, s.prepared))
    .filter((c) => c.gain > 0)
    .sort((a, b) => b.gain / Math.max(1, b.cost) - a.gain / Math.max(1, a.cost) || a.policy - b.policy || a.unit.index - b.unit.index || ((a.unit.service ?? '') < (b.unit.service ?? '') ? -1 : 1));
  const changed = new Set<number>();
  let saved = 0;
  for (const c of candidates) {
    if (saved >= excess) break;
    (units[c.policy] as KeepUnit[]).push(c.unit);
    changed.add(c.policy);
    saved += c.gain;
  }
  if (changed.size > 0) return changed;
  // no service part makes room: the statement whose narrowing grew the most goes back whole
  const grown = state
    .flatMap((s, i) => [...s.trimmed.growth].map(([index, by]) => ({ policy: i, index, by })))
    .filter((g) => g.by > 0 && !(units[g.policy] as KeepUnit[]).some((u) => u.index === g.index && u.service === undefined))
    .sort((a, b) => b.by - a.by || a.policy - b.policy || a.index - b.index)[0];
  if (grown === undefined) return changed;
  const list = units[grown.policy] as KeepUnit[];
  // the statement's service parts are superseded by it
  units[grown.policy] = [...list.filter((u) => u.index !== grown.index), { index: grown.index }];
  changed.add(grown.policy);
  return changed;
}

/** characters of one JSON string entry of an Action list, as AWS counts: quotes and the comma */
const entrySize = (entry: string): number => entry.length + 3;

/**
 * Each service a narrowed statement still trims, as a part that could be carried as written instead: what its
 * entries in the proposed document take, against what the part as written would take.
 */
function serviceParts(policy: FitPolicy, i: number, trimmed: Trimmed, prepared: Prepared): Candidate[] {
  const out: Candidate[] = [];
  const documents = prepared.documents;
  for (const [index, losing] of trimmed.losing) {
    const source = policy.pa.policy.statements.find((s) => s.index === index);
    const outIndex = trimmed.outputOf.get(index);
    if (source === undefined) continue;
    const entries = outIndex === undefined ? [] : [documents[0]?.Statement[outIndex]?.Action ?? []].flat();
    // characters each service's entries take now, in one pass over the list
    const taken = new Map<string, number>();
    for (const e of entries) {
      const colon = e.indexOf(':');
      if (colon < 0) continue;
      const service = e.slice(0, colon).toLowerCase();
      taken.set(service, (taken.get(service) ?? 0) + entrySize(e));
    }
    const byService = new Map<string, number>();
    for (const a of losing) {
      const service = a.slice(0, a.indexOf(':')).toLowerCase();
      byService.set(service, (byService.get(service) ?? 0) + 1);
    }
    for (const [service, cost] of byService) {
      // a service the proposal no longer lists takes no room: carrying it would only keep unused actions
      const now = taken.get(service) ?? 0;
      if (now === 0) continue;
      const written = asWrittenSize(source, service);
      if (written === undefined) continue;
      out.push({ policy: i, unit: { index, service }, gain: now - written, cost });
    }
  }
  return out;
}

/** what a service's part of a statement takes as written; undefined when it cannot be written on its own */
function asWrittenSize(source: NormalizedStatement, service: string): number | undefined {
  if (grantsEverything(source, `${service}:*`)) return entrySize(`${service}:*`);
  if (source.actionKind === 'NotAction') return undefined;
  const own = source.actions.filter((p) => p.toLowerCase().startsWith(`${service}:`));
  return own.length === 0 ? undefined : own.reduce((n, p) => n + entrySize(p), 0);
}

function keptWholeFacts(policy: FitPolicy, units: readonly KeepUnit[]): KeptWhole[] {
  return units
    .map((u) => {
      const s = policy.pa.statements.find((x) => x.index === u.index);
      const unused = (s?.removable ?? []).filter((a) => u.service === undefined || a.slice(0, a.indexOf(':')).toLowerCase() === u.service);
      return { index: u.index, ...(s?.Sid ? { Sid: s.Sid } : {}), ...(u.service ? { service: u.service } : {}), unusedActions: unused.length };
    })
    .sort((a, b) => a.index - b.index || ((a.service ?? '') < (b.service ?? '') ? -1 : 1));
}
