import type { Catalog } from '../catalog/catalog.js';
import { grantsEverything, type StatementProvenance } from '../policy/index.js';
import type { NormalizedPolicy, PolicyDocument, PolicyStatementJson } from '../policy/types.js';

/**
 * A narrowed `*` or Allow NotAction statement lists catalog actions one by one, which drops the actions of a service
 * the catalog does not know yet (AWS adds actions all the time; the report cannot speak about them). The rules keep a
 * service absent from the report, or in use and untracked, whole. So where a narrowed statement keeps every catalog
 * action of a service and its original statement granted the whole service, present and future (same check as
 * future-safe compaction), that service's actions are written as `service:*`, at the place of its first action:
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
    const byService = new Map<string, Set<string>>();
    for (const a of actions) {
      const known = catalog.lookup(a);
      if (!known || known.id !== a) continue;
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
      const service = catalog.lookup(a)?.id === a ? catalog.lookup(a)?.service : undefined;
      const entry = service !== undefined && whole.has(service) ? `${service}:*` : a;
      if (written.has(entry)) continue;
      written.add(entry);
      out.push(entry);
    }
    return { ...s, Action: out.length === 1 ? (out[0] as string) : out };
  });
  return { ...document, Statement };
}
