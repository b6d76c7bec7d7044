import type { LastAccessedReport } from '../snapshot/types.js';
import type { ServiceEntityUse } from './types.js';

/**
 * A report's EntityDetails as the analysis carries them: per service, each entity with its last use, in the report's
 * order (the collector writes the services in ServicesLastAccessed's order, each list as AWS returns it).
 */
export function entityUse(details: NonNullable<LastAccessedReport['EntityDetails']>): readonly ServiceEntityUse[] {
  return Object.entries(details).map(([namespace, list]) => ({
    service: namespace.toLowerCase(),
    entities: list.map((d) => ({
      type: d.EntityInfo.Type,
      arn: d.EntityInfo.Arn,
      name: d.EntityInfo.Name,
      ...(d.LastAuthenticated === undefined ? {} : { lastAuthenticated: d.LastAuthenticated }),
    })),
  }));
}
