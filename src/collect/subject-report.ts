import type { SubjectReport } from '../snapshot/types.js';
import type { CollectContext } from './call.js';
import { readEntityDetails } from './entities.js';
import { readLastAccessedReport, startLastAccessedJob, type LastAccessedOptions } from './last-accessed.js';

/**
 * The subject's ACTION_LEVEL last-accessed report: the job on `arn`, polled to the end, every page; with
 * `entityDetails` (a group's or a policy's report aggregates several entities) also who used each used service.
 */
export async function collectSubjectReport(
  ctx: CollectContext,
  arn: string,
  options: LastAccessedOptions & { entityDetails: boolean; notFound?: () => Promise<string> },
): Promise<SubjectReport> {
  const job = await startLastAccessedJob(ctx, arn, options.notFound);
  const report = await readLastAccessedReport(ctx, job, options);
  const EntityDetails = options.entityDetails ? await readEntityDetails(ctx, job, report) : undefined;
  return { Kind: 'service-last-accessed', ...report, ...(EntityDetails !== undefined ? { EntityDetails } : {}) };
}
