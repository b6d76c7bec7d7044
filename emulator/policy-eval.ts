import type { Catalog } from '../src/catalog/catalog.js';

/**
 * Just enough policy evaluation to decide which services and actions a set of identity policies allows, the way the
 * last-accessed reports need it. Deliberately independent of src/policy: the emulator is the oracle that tests it.
 * Resources and Conditions of Allow statements are ignored (a conditional or resource-scoped Allow still makes the
 * service "allowed" in AWS's reports); only unconditional Denies on every resource take actions away.
 */
interface Statement {
  effect: 'Allow' | 'Deny';
  /** exactly one of action / notAction is set */
  action?: RegExp[];
  notAction?: RegExp[];
  /** the raw Action patterns, to find the services they can touch without testing every catalog action */
  actionPatterns?: string[];
  unconditionalOnAllResources: boolean;
}

function globToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

function asList(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return [];
}

export function parseStatements(text: string): Statement[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return []; // a document the emulator cannot read grants nothing in its reports
  }
  const raw = (doc as { Statement?: unknown } | null)?.Statement;
  const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
  const out: Statement[] = [];
  for (const s of list) {
    if (!s || typeof s !== 'object') continue;
    const st = s as Record<string, unknown>;
    if (st.Effect !== 'Allow' && st.Effect !== 'Deny') continue;
    const resources = asList(st.Resource);
    const parsed: Statement = {
      effect: st.Effect,
      unconditionalOnAllResources: st.Condition === undefined && st.NotResource === undefined && resources.includes('*'),
    };
    if (st.Action !== undefined) {
      parsed.actionPatterns = asList(st.Action);
      parsed.action = parsed.actionPatterns.map(globToRegExp);
    }
    else if (st.NotAction !== undefined) parsed.notAction = asList(st.NotAction).map(globToRegExp);
    else continue;
    out.push(parsed);
  }
  return out;
}

function covers(st: Statement, actionId: string): boolean {
  if (st.action) return st.action.some((r) => r.test(actionId));
  return !(st.notAction ?? []).some((r) => r.test(actionId));
}

/** The services some Allow can reach: a pattern's service part decides, so `s3:Get*` never costs a look at EC2. */
function candidateServices(catalog: Catalog, allows: readonly Statement[]): string[] {
  const out = new Set<string>();
  for (const st of allows) {
    if (!st.actionPatterns) return [...catalog.services]; // NotAction reaches every service
    for (const pattern of st.actionPatterns) {
      const colon = pattern.indexOf(':');
      const servicePart = colon < 0 ? pattern : pattern.slice(0, colon);
      if (!/[*?]/.test(servicePart)) {
        out.add(servicePart.toLowerCase());
        continue;
      }
      const re = globToRegExp(servicePart);
      for (const service of catalog.services) if (re.test(service)) out.add(service);
    }
  }
  return [...out].sort();
}

/**
 * service prefix → names of its catalog actions that some Allow grants and no unconditional Deny takes away.
 * A service whose every granted action is denied (e.g. `Deny s3:*` on `*`) is absent, as in AWS's reports.
 */
export function allowedActions(catalog: Catalog, documents: readonly string[]): Map<string, string[]> {
  const statements = documents.flatMap(parseStatements);
  const allows = statements.filter((s) => s.effect === 'Allow');
  const denies = statements.filter((s) => s.effect === 'Deny' && s.unconditionalOnAllResources);
  const result = new Map<string, string[]>();
  if (allows.length === 0) return result;
  for (const service of candidateServices(catalog, allows)) {
    const names: string[] = [];
    for (const action of catalog.actionsOf(service) ?? []) {
      if (!allows.some((s) => covers(s, action.id))) continue;
      if (denies.some((s) => covers(s, action.id))) continue;
      names.push(action.name);
    }
    if (names.length > 0) result.set(service, names);
  }
  return result;
}
