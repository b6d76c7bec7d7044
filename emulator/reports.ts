import type { Catalog } from '../src/catalog/catalog.js';
import type { EntityDetails, ServiceLastAccessed, TrackedActionLastAccessed } from '../src/snapshot/types.js';
import type { Account, Entity, ManagedPolicy, UsageEvent } from './account.js';
import { byCodePoint } from './context.js';
import { allowedActions } from './policy-eval.js';
import { actionTrackingSince, isTrackedAction, isTrackedService } from './tracking.js';

/**
 * Service last-accessed reports computed from the fixture as IAM computes them (see docs/emulator.md for the rules and
 * where each comes from). Dates are Date objects here; the XML layer writes them as ISO-8601.
 */
export type ReportTarget =
  | { kind: 'entity'; entity: Entity }
  | { kind: 'policy'; policy: ManagedPolicy };

export const GRANULARITIES = ['SERVICE_LEVEL', 'ACTION_LEVEL'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

type DateFields<T> = { [K in keyof T]: K extends 'LastAuthenticated' | 'LastAccessedTime' ? Date : T[K] };
export type ServiceRow = Omit<DateFields<ServiceLastAccessed>, 'TrackedActionsLastAccessed'> & {
  TrackedActionsLastAccessed?: DateFields<TrackedActionLastAccessed>[];
};
export type EntityRow = DateFields<EntityDetails>;

export interface ComputedReport {
  services: ServiceRow[];
  /** service namespace → entities that could have used it, most recent access first */
  entities: Map<string, EntityRow[]>;
}

const TRACKING_PERIOD_MS = 400 * 86_400_000;

/** The policy documents that make up the target's permissions (AWS ignores boundaries, SCPs, resource policies). */
function documentsOf(account: Account, target: ReportTarget): string[] {
  if (target.kind === 'policy') return [defaultText(target.policy)];
  const e = target.entity;
  const docs = [...e.inline.map((p) => p.text), ...e.attached.map((a) => managedText(account, a))];
  for (const g of e.groups) {
    const group = account.groups.get(g.toLowerCase());
    if (!group) continue;
    docs.push(...group.inline.map((p) => p.text), ...group.attached.map((a) => managedText(account, a)));
  }
  return docs;
}

function defaultText(p: ManagedPolicy): string {
  return p.versions.find((v) => v.versionId === p.defaultVersionId)?.text ?? '{}';
}

function managedText(account: Account, arn: string): string {
  const p = account.policies.get(arn);
  return p ? defaultText(p) : '{}';
}

/** The roles and users whose activity the report aggregates. */
export function reportEntities(account: Account, target: ReportTarget): Entity[] {
  if (target.kind === 'entity') {
    const e = target.entity;
    if (e.type !== 'group') return [e];
    return [...account.users.values()].filter((u) => u.groups.some((g) => g.toLowerCase() === e.name.toLowerCase()));
  }
  const arn = target.policy.arn;
  const direct = [...account.roles.values(), ...account.users.values()].filter((e) => e.attached.includes(arn));
  const viaGroups = [...account.users.values()].filter((u) =>
    u.groups.some((g) => account.groups.get(g.toLowerCase())?.attached.includes(arn)),
  );
  return [...new Set([...direct, ...viaGroups])];
}

interface Latest {
  time: Date;
  entity: Entity;
  region: string;
}

function later(a: Latest | undefined, b: Latest): Latest {
  return !a || b.time.getTime() > a.time.getTime() ? b : a;
}

export function computeReport(options: {
  account: Account;
  catalog: Catalog;
  target: ReportTarget;
  granularity: Granularity;
}): ComputedReport {
  const { account, catalog, target, granularity } = options;
  const allowed = allowedActions(catalog, documentsOf(account, target));
  const entities = reportEntities(account, target);
  const windowStart = account.now.getTime() - TRACKING_PERIOD_MS;
  const inWindow = (ev: UsageEvent): boolean =>
    ev.time.getTime() >= windowStart && ev.time.getTime() <= account.now.getTime();

  const services: ServiceRow[] = [];
  const entityRows = new Map<string, EntityRow[]>();
  for (const service of [...allowed.keys()].sort()) {
    const actionNames = allowed.get(service) ?? [];
    let serviceLatest: Latest | undefined;
    const perEntity = new Map<Entity, Date>();
    const perAction = new Map<string, Latest>();
    const since = actionTrackingSince(service)?.getTime() ?? Infinity;
    for (const entity of entities) {
      for (const ev of account.usage.get(entity.arn) ?? []) {
        if (ev.service !== service || !inWindow(ev)) continue;
        const hit = { time: ev.time, entity, region: ev.region };
        serviceLatest = later(serviceLatest, hit);
        const prev = perEntity.get(entity);
        if (!prev || ev.time > prev) perEntity.set(entity, ev.time);
        if (ev.action !== undefined && ev.time.getTime() >= since) {
          const canonical = actionNames.find((n) => n.toLowerCase() === ev.action?.toLowerCase());
          if (canonical && isTrackedAction(service, canonical)) {
            perAction.set(canonical, later(perAction.get(canonical), hit));
          }
        }
      }
    }
    const row: ServiceRow = { ServiceName: catalog.serviceName(service), ServiceNamespace: service };
    if (serviceLatest) {
      row.LastAuthenticated = serviceLatest.time;
      row.LastAuthenticatedEntity = serviceLatest.entity.arn;
      row.LastAuthenticatedRegion = serviceLatest.region;
    }
    row.TotalAuthenticatedEntities = perEntity.size;
    if (granularity === 'ACTION_LEVEL' && serviceLatest && isTrackedService(service) && perAction.size > 0) {
      // live captures: once any tracked action was used, every tracked action the policies allow is listed, the
      // never-used ones with only ActionName
      row.TrackedActionsLastAccessed = actionNames
        .filter((a) => isTrackedAction(service, a))
        .map((a) => {
          const hit = perAction.get(a);
          return hit
            ? { ActionName: a, LastAccessedEntity: hit.entity.arn, LastAccessedTime: hit.time, LastAccessedRegion: hit.region }
            : { ActionName: a };
        });
    }
    services.push(row);
    entityRows.set(service, entityDetails(entities, perEntity));
  }
  return { services, entities: entityRows };
}

function entityDetails(entities: readonly Entity[], perEntity: Map<Entity, Date>): EntityRow[] {
  const rows = entities.map((e): EntityRow => {
    const row: EntityRow = {
      EntityInfo: { Arn: e.arn, Name: e.name, Type: e.type === 'role' ? 'ROLE' : 'USER', Id: e.id, Path: e.path },
    };
    const last = perEntity.get(e);
    if (last) row.LastAuthenticated = last;
    return row;
  });
  // most recent access first (API docs); never-used entities last, by name
  return rows.sort((a, b) => {
    const ta = a.LastAuthenticated?.getTime() ?? -Infinity;
    const tb = b.LastAuthenticated?.getTime() ?? -Infinity;
    return tb - ta || byCodePoint(a.EntityInfo.Name, b.EntityInfo.Name);
  });
}
