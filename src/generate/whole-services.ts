import type { Catalog } from '../catalog/catalog.js';
import { expandPattern, expandPatterns, grantsEverything, hasServiceWildcard, type StatementProvenance } from '../policy/index.js';
import type { NormalizedPolicy, PolicyDocument, PolicyStatementJson } from '../policy/types.js';

/**
 * A narrowed `*` or Allow NotAction statement lists catalog actions one by one, which drops the actions of a service
 * the catalog does not know yet (AWS adds actions all the time; the report cannot speak about them). The rules keep a
 * service absent from the report, or in use and untracked, whole. So where a narrowed statement keeps every catalog
 * action of a service (listed, or through one of the original's patterns kept as written) and its original statement
 * granted the whole service, present and future (same check as future-safe compaction), that service's entries are
 * written as one `service:*`, at the place of its first entry:
 * no wider than the original statement, and what AWS adds to the service stays granted as it was.
 */
export function keepWholeServices(input: {
  catalog: Catalog;
  document: PolicyDocument;
  original: NormalizedPolicy;
  provenance: readonly StatementProvenance[];
}): PolicyDocument {
  const { catalog, document, original } = input;
  const sourceOf = new Map(input.provenance.filter((p) => p.change === 'narrowed').map((p) => [p.outputIndex, p.inputIndex]));
  const Statement = document.Statement.map((s, i): PolicyStatementJson => {
    const source = original.statements[sourceOf.get(i) ?? -1];
    if (!source || s.Effect !== 'Allow' || s.Action === undefined) return s;
    const actions = [s.Action].flat();
    // what the statement grants per service, through explicit ids and the original patterns kept as written alike
    const byService = new Map<string, Set<string>>();
    for (const a of expandPatterns(catalog, actions.filter((p) => literalService(p) !== undefined)).actions) {
      const known = catalog.lookup(a);
      if (!known) continue;
      const names = byService.get(known.service) ?? new Set<string>();
      names.add(known.name);
      byService.set(known.service, names);
    }
    const whole = new Set(
      [...byService].filter(([service, names]) => names.size === (catalog.actionsOf(service)?.length ?? -1) && grantsEverything(source, `${service}:*`)).map(([service]) => service),
    );
    if (whole.size === 0) return s;
    const out: string[] = [];
    const written = new Set<string>();
    for (const a of actions) {
      // a pattern the catalog does not know stays verbatim: the proposal keeps every unknown pattern as written
      const service = expandPattern(catalog, a).kind === 'matched' ? literalService(a) : undefined;
      const entry = service !== undefined && whole.has(service) ? `${service}:*` : a;
      if (written.has(entry)) continue;
      written.add(entry);
      out.push(entry);
    }
    return { ...s, Action: out.length === 1 ? (out[0] as string) : out };
  });
  return { ...document, Statement };
}

/** the lower-case service of an entry whose service prefix is literal (`s3:GetObject`, `s3:Get*`); else undefined */
function literalService(entry: string): string | undefined {
  const colon = entry.indexOf(':');
  return colon < 0 || hasServiceWildcard(entry) ? undefined : entry.slice(0, colon).toLowerCase();
}
