import type { LastAccessedReport, ServiceLastAccessed, TrackedActionLastAccessed } from '../snapshot/types.js';

export interface TrackedActionUsage {
  readonly entry: TrackedActionLastAccessed;
  /** JSONPath of the entry in the snapshot */
  readonly field: string;
}

export interface ServiceUsage {
  readonly entry: ServiceLastAccessed;
  readonly field: string;
  /** tracked actions by lower-case bare action name */
  readonly tracked: ReadonlyMap<string, TrackedActionUsage>;
  /** the latest of LastAuthenticated and every tracked LastAccessedTime (a report that disagrees with itself is read
   *  in the direction that keeps more) */
  readonly lastUsed?: { readonly time: string; readonly region?: string; readonly entity?: string };
}

/** Real AWS returns the bare name ("CreateBucket"); hand-written reports may say "s3:CreateBucket". Both count. */
export function bareActionName(actionName: string): string {
  const i = actionName.indexOf(':');
  return (i >= 0 ? actionName.slice(i + 1) : actionName).toLowerCase();
}

/** is `a` a later use than `b`? A time beats no time (a use beats "never used"). */
function laterThan(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined) return false;
  return b === undefined || Date.parse(a) > Date.parse(b);
}

/** Indexes the report by lower-case service namespace. */
export function indexUsage(report: LastAccessedReport, reportPath: string, listName = 'ServicesLastAccessed'): ReadonlyMap<string, ServiceUsage> {
  const byService = new Map<string, ServiceUsage>();
  report.ServicesLastAccessed.forEach((entry, i) => {
    const field = `${reportPath}.${listName}[${i}]`;
    const tracked = new Map<string, TrackedActionUsage>();
    let lastUsed: ServiceUsage['lastUsed'] = entry.LastAuthenticated
      ? {
          time: entry.LastAuthenticated,
          ...(entry.LastAuthenticatedRegion ? { region: entry.LastAuthenticatedRegion } : {}),
          ...(entry.LastAuthenticatedEntity ? { entity: entry.LastAuthenticatedEntity } : {}),
        }
      : undefined;
    (entry.TrackedActionsLastAccessed ?? []).forEach((action, j) => {
      if (!action.ActionName) return;
      const name = bareActionName(action.ActionName);
      // listed twice ("CreateBucket" and "s3:CreateBucket", or pages merged twice): the latest use wins, never the
      // entry that happens to come last
      const seen = tracked.get(name);
      if (!seen || laterThan(action.LastAccessedTime, seen.entry.LastAccessedTime)) {
        tracked.set(name, { entry: action, field: `${field}.TrackedActionsLastAccessed[${j}]` });
      }
      if (action.LastAccessedTime && laterThan(action.LastAccessedTime, lastUsed?.time)) {
        lastUsed = {
          time: action.LastAccessedTime,
          ...(action.LastAccessedRegion ? { region: action.LastAccessedRegion } : {}),
          ...(action.LastAccessedEntity ? { entity: action.LastAccessedEntity } : {}),
        };
      }
    });
    byService.set(entry.ServiceNamespace.toLowerCase(), { entry, field, tracked, ...(lastUsed ? { lastUsed } : {}) });
  });
  return byService;
}
