import type { Catalog } from '../catalog/catalog.js';
import { compactPolicy, globToRegExp } from '../policy/index.js';
import type { NormalizedPolicy, NormalizedStatement, PolicyDocument, PolicyStatementJson } from '../policy/types.js';

/**
 * Compaction that stays within the original policy for actions AWS adds later, too.
 *
 * The engine's compaction replaces kept actions by `service:Prefix*` wildcards that match nothing else in today's
 * catalog; a wildcard also matches actions AWS adds tomorrow. That is no widening when the original already granted
 * them (it said `*`, `s3:*`, `s3:Get*` or an Allow NotAction that cannot exclude them), but it would be one where the
 * original listed actions explicitly. So an introduced wildcard is accepted only when an original Allow statement with
 * the same Resource/NotResource and Condition covers every action the wildcard can ever match; otherwise that
 * statement stays uncompacted. The checks are conservative: anything not provably covered is refused.
 */
export function futureSafeCompaction(
  catalog: Catalog,
  doc: PolicyDocument,
  original: NormalizedPolicy,
): { document: PolicyDocument; introducedWildcards: string[] } {
  const compacted = compactPolicy(catalog, doc);
  const accepted = new Set<string>();
  const Statement = compacted.document.Statement.map((after, i) => {
    const before = doc.Statement[i] as PolicyStatementJson;
    if (after === before) return before;
    const had = new Set([before.Action ?? []].flat());
    const introduced = [after.Action ?? []].flat().filter((p) => !had.has(p) && /[*?]/.test(p));
    const sources = original.statements.filter((s) => s.Effect === 'Allow' && sameScope(s, after));
    if (!introduced.every((w) => sources.some((s) => grantsEverything(s, w)))) return before;
    introduced.forEach((w) => accepted.add(w));
    return after;
  });
  return { document: { ...compacted.document, Statement }, introducedWildcards: [...accepted].sort() };
}

function sameScope(s: NormalizedStatement, json: PolicyStatementJson): boolean {
  const resources = json.Resource ?? json.NotResource;
  const kind = json.Resource !== undefined ? 'Resource' : 'NotResource';
  return (
    s.resourceKind === kind &&
    JSON.stringify([...s.resources].sort()) === JSON.stringify([resources ?? []].flat().sort()) &&
    JSON.stringify(s.Condition ?? null) === JSON.stringify(json.Condition ?? null)
  );
}

interface Split {
  service: string;
  name: string;
}

const split = (pattern: string): Split | undefined => {
  const i = pattern.indexOf(':');
  return i < 0 ? undefined : { service: pattern.slice(0, i).toLowerCase(), name: pattern.slice(i + 1).toLowerCase() };
};

const literal = (s: string): boolean => !/[*?]/.test(s);

/** `Prefix` of a `Prefix*` name pattern with no other wildcard, else undefined */
const prefixOf = (name: string): string | undefined => (name.endsWith('*') && literal(name.slice(0, -1)) ? name.slice(0, -1) : undefined);

/** does statement `s` allow every action (today's and future) that `wildcard` (`svc:Prefix*`) matches? */
export function grantsEverything(s: NormalizedStatement, wildcard: string): boolean {
  const w = split(wildcard);
  const wPrefix = w && prefixOf(w.name);
  if (!w || wPrefix === undefined || !literal(w.service)) return false;
  if (s.actionKind === 'Action') return s.actions.some((p) => covers(p, w.service, wPrefix));
  return s.actions.every((e) => disjoint(e, w.service, wPrefix));
}

/** pattern P matches every `service:<wPrefix>…` */
function covers(pattern: string, service: string, wPrefix: string): boolean {
  if (pattern === '*') return true;
  const p = split(pattern);
  if (!p || !globToRegExp(p.service).test(service)) return false;
  const pPrefix = prefixOf(p.name);
  return pPrefix !== undefined && wPrefix.startsWith(pPrefix);
}

/** excluded pattern E matches no `service:<wPrefix>…` */
function disjoint(excluded: string, service: string, wPrefix: string): boolean {
  if (excluded === '*') return false;
  const e = split(excluded);
  if (!e) return false;
  if (!globToRegExp(e.service).test(service)) return true;
  if (literal(e.name)) return !e.name.startsWith(wPrefix);
  const ePrefix = prefixOf(e.name);
  return ePrefix !== undefined && !ePrefix.startsWith(wPrefix) && !wPrefix.startsWith(ePrefix);
}
