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
  for (const [service, kept] of byService) {
    for (const entry of compactService(catalog, service, kept)) {
      out.add(entry);
      if (hasWildcard(entry)) introduced.push(entry);
    }
  }
  const result = { actions: [...out].sort(), introducedWildcards: introduced.sort() };
  verifySameExpansion(catalog, actions, result.actions, 'compactActions');
  return result;
}

function compactService(catalog: Catalog, service: string, kept: ReadonlySet<string>): string[] {
  const all = catalog.actionsOf(service) ?? [];
  if (all.length > 1 && all.every((a) => kept.has(a.name))) return [`${service}:*`];
  // for every lower-case prefix of every action name: how many catalog actions start with it, how many are kept
  const counts = new Map<string, { total: number; kept: number }>();
  for (const a of all) {
    const lower = a.name.toLowerCase();
    const isKept = kept.has(a.name);
    for (let n = 1; n <= lower.length; n++) {
      const prefix = lower.slice(0, n);
      const c = counts.get(prefix) ?? { total: 0, kept: 0 };
      c.total++;
      if (isKept) c.kept++;
      counts.set(prefix, c);
    }
  }
  const groups = new Map<string, string[]>();
  for (const name of kept) {
    const lower = name.toLowerCase();
    let group = name;
    for (let n = 1; n <= lower.length; n++) {
      const c = counts.get(lower.slice(0, n));
      if (c && c.total === c.kept) {
        group = lower.slice(0, n);
        break;
      }
    }
    const members = groups.get(group) ?? [];
    members.push(name);
    groups.set(group, members);
  }
  const out: string[] = [];
  for (const members of groups.values()) {
    if (members.length === 1) out.push(`${service}:${members[0] as string}`);
    else out.push(`${service}:${longestCommonPrefix(members)}*`);
  }
  return out;
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
