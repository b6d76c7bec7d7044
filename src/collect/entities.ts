import { GetServiceLastAccessedDetailsWithEntitiesCommand } from '@aws-sdk/client-iam';
import type { EntityDetails, LastAccessedReport } from '../snapshot/types.js';
import type { CollectContext } from './call.js';
import { mapLimit } from './concurrency.js';
import { definedOnly, isoDate } from './dates.js';
import type { ReportJob } from './last-accessed.js';
import { MAX_ITEMS, paginate } from './paginate.js';

const ENTITY_CALLS_IN_FLIGHT = 4;

/**
 * For group (and policy) reports: GetServiceLastAccessedDetailsWithEntities for each service that was used, so the
 * explanation can name the members behind each use. Keyed by ServiceNamespace, in report order.
 */
export async function readEntityDetails(
  ctx: CollectContext,
  job: ReportJob,
  report: LastAccessedReport,
): Promise<Record<string, EntityDetails[]>> {
  const used = report.ServicesLastAccessed.filter((s) => s.LastAuthenticated !== undefined).map((s) => s.ServiceNamespace);
  const lists = await mapLimit(used, ENTITY_CALLS_IN_FLIGHT, (ServiceNamespace) =>
    paginate(
      ctx,
      { action: 'iam:GetServiceLastAccessedDetailsWithEntities', resource: `${job.Arn} (service ${ServiceNamespace})` },
      (Marker, c, o) =>
        c.iam.send(
          new GetServiceLastAccessedDetailsWithEntitiesCommand({ JobId: job.JobId, ServiceNamespace, MaxItems: MAX_ITEMS, Marker }),
          o,
        ),
      'EntityDetailsList',
    ),
  );
  return Object.fromEntries(
    used.map((namespace, i) => [
      namespace,
      (lists[i] ?? []).map(
        (d): EntityDetails =>
          definedOnly({
            EntityInfo: definedOnly({
              Arn: d.EntityInfo?.Arn ?? '',
              Name: d.EntityInfo?.Name ?? '',
              Type: d.EntityInfo?.Type ?? 'USER',
              Id: d.EntityInfo?.Id ?? '',
              Path: d.EntityInfo?.Path,
            }),
            LastAuthenticated: isoDate(d.LastAuthenticated),
          }),
      ),
    ]),
  );
}
