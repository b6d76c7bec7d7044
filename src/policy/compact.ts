import type { Catalog } from '../catalog/catalog.js';
import { invariantError } from '../errors.js';
import { expandPatterns, hasWildcard } from './expand.js';
import type { PolicyDocument, PolicyStatementJson } from './types.js';

export interface CompactedActions {
  /** sorted: compacted wildcards, remaining explicit ids, and any input that was not a catalog id, verbatim */
  readonly actions: string[];
  /** the wildcards compaction introduced (they will also match actions AWS adds later), sorted */
  readonly introducedWildcards: string[];
}

/**
 * Replaces explicit catalog actions by `service:Prefix*` wildcards where the wildcard matches no catalog action outside
 * the given set. Per service: a group is a maximal name prefix all of whose catalog actions are in the set; a group of
 * two or more actions becomes the longest common prefix of its members plus `*` (the narrowest wildcard covering
 * exactly that group today), a whole service becomes `service:*`. Entries that are not catalog ids (unknown actions,
 * patterns already carrying wildcards) pass through verbatim. The result is re-expanded and must match exactly;
 * anything else throws an invariant error.
 */
export function compactActions(catalog: Catalog, actions: readonly string[]): CompactedActions {
  const byService = new Map<string, Set<string>>();
  const passThrough = new Set<string>();
  for (const entry of actions) {
    const action = hasWildcard(entry) ? undefined : catalog.lookup(entry);
    if (!action) {
      passThrough.add(entry);
      continue;
    }
    const names = byService.get(action.service) ?? new Set<string>();
    names.add(action.name);
    byService.set(action.service, names);
  }
  const out = new Set(passThrough);
  const introduced: string[] = [];
  // a wildcard the input already held (an original pattern kept as written) is not introduced by compaction
  const given = new Set([...passThrough].map((p) => p.toLowerCase()));
  for (const [service, kept] of byService) {
    for (const entry of compactService(catalog, service, kept)) {
      if (given.has(entry.toLowerCase())) continue;
      out.add(entry);
      if (hasWildcard(entry)) introduced.push(entry);
    }
  }
  const result = { actions: [...out].sort(), introducedWildcards: introduced.sort() };
  verifySameExpansion(catalog, actions, result.actions, 'compactActions');
  return result;
}

function compactService(catalog: Catalog, service: string, kept: ReadonlySet<string>): string[] {
  const { names, lower } = sortedNames(catalog, service);
  if (names.length > 1 && names.every((n) => kept.has(n))) return [`${service}:*`];
  // In lower-case sorted order the names sharing a prefix are contiguous. Inside a run of consecutive kept names
  // [start, end), a prefix of name i is exact (matches only kept names) iff it is longer than the common prefix
  // with the nearest unkept neighbour on either side; the shortest such prefix names i's group.
  const groups = new Map<string, string[]>();
  let i = 0;
  while (i < names.length) {
    if (!kept.has(names[i] as string)) {
      i++;
      continue;
    }
    let end = i;
    while (end < names.length && kept.has(names[end] as string)) end++;
    const before = i > 0 ? (lower[i - 1] as string) : undefined;
    const after = end < names.length ? (lower[end] as string) : undefined;
    for (let j = i; j < end; j++) {
      const name = lower[j] as string;
      const need = Math.max(commonPrefixLength(name, before), commonPrefixLength(name, after)) + 1;
      // a name that is itself a prefix of an unkept neighbour cannot be covered by any exact wildcard
      const key = need <= name.length ? name.slice(0, need) : `=${name}`;
      const members = groups.get(key) ?? [];
      members.push(names[j] as string);
      groups.set(key, members);
    }
    i = end;
  }
  const out: string[] = [];
  for (const members of groups.values()) {
    if (members.length === 1) out.push(`${service}:${members[0] as string}`);
    else out.push(`${service}:${longestCommonPrefix(members)}*`);
  }
  return out;
}

function commonPrefixLength(a: string, b: string | undefined): number {
  if (b === undefined) return 0;
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

const sortedByCatalog = new WeakMap<Catalog, Map<string, { names: string[]; lower: string[] }>>();

/** a service's canonical action names in lower-case sorted order (cached per catalog) */
function sortedNames(catalog: Catalog, service: string): { names: string[]; lower: string[] } {
  let perService = sortedByCatalog.get(catalog);
  if (!perService) {
    perService = new Map();
    sortedByCatalog.set(catalog, perService);
  }
  let entry = perService.get(service);
  if (!entry) {
    const pairs = (catalog.actionsOf(service) ?? []).map((a) => [a.name.toLowerCase(), a.name] as const);
    pairs.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
    entry = { names: pairs.map((p) => p[1]), lower: pairs.map((p) => p[0]) };
    perService.set(service, entry);
  }
  return entry;
}

function longestCommonPrefix(names: readonly string[]): string {
  const first = names[0] ?? '';
  let n = first.length;
  for (const name of names) {
    let i = 0;
    while (i < n && i < name.length && name[i]?.toLowerCase() === first[i]?.toLowerCase()) i++;
    n = i;
  }
  return first.slice(0, n);
}

function verifySameExpansion(catalog: Catalog, before: readonly string[], after: readonly string[], where: string): void {
  const a = expandPatterns(catalog, before);
  const b = expandPatterns(catalog, after);
  const same =
    a.actions.length === b.actions.length &&
    a.actions.every((x, i) => x === b.actions[i]) &&
    JSON.stringify([...a.unknown].sort()) === JSON.stringify([...b.unknown].sort());
  if (!same) {
    const added = b.actions.filter((x) => !a.actions.includes(x)).slice(0, 3);
    const lost = a.actions.filter((x) => !b.actions.includes(x)).slice(0, 3);
    throw invariantError(
      `${where} self-check failed: re-expansion differs (added ${added.join(', ') || 'none'}; lost ${lost.join(', ') || 'none'})`,
    );
  }
}

/**
 * Compacts the Action lists of Allow statements (Deny and NotAction statements are left alone: a wildcard there would
 * change what future actions they cover). Statements compaction does not change keep their exact shape.
 */
export function compactPolicy(
  catalog: Catalog,
  doc: PolicyDocument,
): { document: PolicyDocument; introducedWildcards: string[] } {
  const introduced = new Set<string>();
  const Statement = doc.Statement.map((s): PolicyStatementJson => {
    if (s.Effect !== 'Allow' || s.Action === undefined) return s;
    const before = [s.Action].flat();
    const compacted = compactActions(catalog, before);
    const unchanged = compacted.actions.length === new Set(before).size && compacted.introducedWildcards.length === 0;
    if (unchanged) return s;
    for (const w of compacted.introducedWildcards) introduced.add(w);
    const Action = compacted.actions.length === 1 ? (compacted.actions[0] as string) : compacted.actions;
    return { ...s, Action };
  });
  return { document: { ...doc, Statement }, introducedWildcards: [...introduced].sort() };
}
