import type { Catalog } from '../catalog/catalog.js';
import { compactPolicy, grantsEverything } from '../policy/index.js';
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
