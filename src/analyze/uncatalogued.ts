import type { Catalog } from '../catalog/catalog.js';
import { expandPattern, globToRegExp, grantsEverything, hasWildcard } from '../policy/index.js';
import type { NormalizedStatement } from '../policy/types.js';
import { thresholdDaysOf, type AnalysisConfig } from './config.js';
import { daysBefore } from './days.js';
import type { ObservationWindow } from './types.js';
import type { ServiceUsage } from './usage.js';

/**
 * Something the principal may use that the catalog cannot name: a service or tracked action the report shows in use
 * (a newer AWS than the catalog), or a never-remove pattern matching no catalog action. A wildcard or NotAction
 * statement grants it, but narrowing that statement to an explicit list of catalog actions would silently drop it.
 */
export interface UncataloguedInUse {
  /** lower-case service prefix */
  readonly service: string;
  /** lower-case action name (from neverRemove, possibly a name pattern such as `newthing*`); undefined: the whole
   *  service (the catalog does not know it, so neither its actions) */
  readonly action?: string;
  /** `service:Action` or `service:*` as the reader sees it */
  readonly label: string;
  /** where the evidence is: a report field, or the config's neverRemove */
  readonly field: string;
}

export interface UncataloguedInput {
  readonly catalog: Catalog;
  readonly usage: ReadonlyMap<string, ServiceUsage>;
  readonly window: ObservationWindow;
  readonly config: AnalysisConfig;
  readonly referenceTime: Date;
}

/**
 * Everything the catalog does not know and the data cannot prove unused, by the same rules as for catalog actions
 * (decide.ts): a service in use within its threshold (or one the window is too short for) keeps its uncatalogued
 * tracked actions used within the threshold, and an uncatalogued service in use keeps all of itself.
 */
export function uncataloguedInUse(input: UncataloguedInput): UncataloguedInUse[] {
  const { catalog, usage, window, config, referenceTime } = input;
  if (window.status === 'too-short') return [];
  const out: UncataloguedInUse[] = [];
  for (const [service, svc] of usage) {
    const threshold = thresholdDaysOf(config, service);
    const cutoff = daysBefore(referenceTime, threshold);
    const recent = (time: string | undefined): boolean => time !== undefined && Date.parse(time) >= cutoff.getTime();
    const unproven = window.coveredDays < threshold;
    const serviceInUse = unproven || recent(svc.lastUsed?.time);
    const known = catalog.actionsOf(service);
    if (!known) {
      if (serviceInUse) out.push({ service, label: `${service}:*`, field: svc.field });
      continue;
    }
    if (!serviceInUse) continue;
    const names = new Set(known.map((a) => a.name.toLowerCase()));
    for (const [name, t] of svc.tracked) {
      if (names.has(name)) continue;
      if (unproven || recent(t.entry.LastAccessedTime)) out.push({ service, action: name, label: `${service}:${name}`, field: t.field });
    }
  }
  config.neverRemove.forEach((pattern, i) => {
    const colon = pattern.indexOf(':');
    if (colon < 0 || expandPattern(catalog, pattern).kind === 'matched') return;
    const service = pattern.slice(0, colon).toLowerCase();
    if (hasWildcard(service)) return;
    const name = pattern.slice(colon + 1).toLowerCase();
    // a wildcard name stays a pattern (`newthing*`): what grants it is what can match such names, no more
    out.push({ service, ...(name === '*' ? {} : { action: name }), label: `${service}:${name}`, field: `neverRemove[${i}]` });
  });
  return out.sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
}

/**
 * The uncatalogued names an Allow statement grants through patterns that also match catalog actions (the ones a
 * narrowing would replace). Patterns matching nothing in the catalog are kept verbatim anyway. Errs towards "grants":
 * a wildcard in a service prefix is read as matching full ids, and only an exclusion with a literal service (or `*`)
 * counts as covering a name.
 */
export function grantedUncatalogued(
  catalog: Catalog,
  statement: NormalizedStatement,
  inUse: readonly UncataloguedInUse[],
): UncataloguedInUse[] {
  if (statement.Effect !== 'Allow' || inUse.length === 0) return [];
  if (statement.actionKind === 'NotAction') return inUse.filter((u) => !statement.actions.some((e) => excludes(e, u)));
  const matched = statement.actions.filter((p) => expandPattern(catalog, p).kind === 'matched');
  return inUse.filter((u) => matched.some((p) => mayMatch(p, u)));
}

/**
 * The services whose part of an Allow statement can be kept as written while the rest of it is narrowed, so that
 * every uncatalogued name it grants in use stays granted; undefined when some cannot, and the statement is held whole.
 * A hold is as wide as its reason: a service the catalog knows is carried by its own patterns (an Action pattern
 * naming the service, kept whole, stays as written) or, under `*` or a NotAction that excludes nothing of it, written
 * `service:*` (generate/whole-services.ts), which the original granted entirely. A pattern with a wildcard in its
 * service prefix, a NotAction excluding part of the service, or a service unknown to the catalog cannot be carried
 * that way.
 */
export function heldServicesAsWritten(
  catalog: Catalog,
  statement: NormalizedStatement,
  holds: readonly UncataloguedInUse[],
): ReadonlySet<string> | undefined {
  const services = new Set(holds.map((u) => u.service));
  for (const service of services) {
    if (!catalog.actionsOf(service)) return undefined;
    if (statement.actionKind === 'NotAction') {
      if (!grantsEverything(statement, `${service}:*`)) return undefined;
      continue;
    }
    const matching = statement.actions.filter((p) => holds.some((u) => u.service === service && mayMatch(p, u)));
    const carried = (p: string): boolean => p === '*' || split(p).service.toLowerCase() === service;
    if (!matching.every(carried)) return undefined;
  }
  return services;
}

const split = (pattern: string): { service: string; name: string } => {
  const colon = pattern.indexOf(':');
  return colon < 0 ? { service: pattern, name: '*' } : { service: pattern.slice(0, colon), name: pattern.slice(colon + 1) };
};

/** can pattern `p` (of an Action list) match some action of `u`? */
function mayMatch(p: string, u: UncataloguedInUse): boolean {
  if (p === '*') return true;
  const { service, name } = split(p);
  if (!globToRegExp(service).test(u.service)) return false;
  return u.action === undefined || globToRegExp(name).test(u.action);
}

/** does exclusion `e` (of a NotAction list) certainly cover every action of `u`? */
function excludes(e: string, u: UncataloguedInUse): boolean {
  if (e === '*') return true;
  const { service, name } = split(e);
  if (hasWildcard(service) || service.toLowerCase() !== u.service) return false;
  if (name === '*') return true;
  return u.action !== undefined && globToRegExp(name).test(u.action);
}
