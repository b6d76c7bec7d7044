import {
  GenerateOrganizationsAccessReportCommand,
  GetOrganizationsAccessReportCommand,
  type AccessDetail as SdkAccessDetail,
  type GetOrganizationsAccessReportCommandOutput,
} from '@aws-sdk/client-iam';
import { awsError } from '../errors.js';
import type { AccessDetail, OrganizationsReport } from '../snapshot/types.js';
import { awsCall, type CollectContext } from './call.js';
import { definedOnly, isoDate, requiredIsoDate } from './dates.js';
import { formatDuration, type LastAccessedOptions, waitForReportJob } from './last-accessed.js';
import { followMarkers, MAX_ITEMS } from './paginate.js';
import { pollUntil } from './poll.js';

/** What the report is on: the entity path, and the SCP whose allowed services it lists (absent: every SCP there). */
export interface OrganizationsReportTarget {
  entityPath: string;
  policyId?: string;
  /** words a NoSuchEntity: the path or the policy is not in the organization */
  notFound: () => string;
}

/** Organizations runs one report generation at a time; a busy one is retried from this wait up, to --timeout. */
const LIMIT_FIRST_WAIT_MS = 2_000;
const LIMIT_MAX_WAIT_MS = 30_000;
const LIMIT_FACTOR = 2;

/**
 * GenerateOrganizationsAccessReport, polled to the end with GetOrganizationsAccessReport, every Marker page merged in
 * API order. A generation refused because another is running (ReportGenerationLimitExceeded) is retried with backoff
 * within the same --timeout, the caller told it is waiting.
 */
export async function collectOrganizationsReport(
  ctx: CollectContext,
  target: OrganizationsReportTarget,
  options: LastAccessedOptions,
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>,
): Promise<OrganizationsReport> {
  const started = Date.now();
  const jobId = await startJob(ctx, target, options, sleep);
  const left = Math.max(1, options.timeoutMs - (Date.now() - started));
  const about = target.policyId !== undefined ? `${target.entityPath} (SCP ${target.policyId})` : target.entityPath;
  const spec = { action: 'iam:GetOrganizationsAccessReport', resource: about } as const;
  const fetchPage = (Marker: string | undefined, c: CollectContext['clients'], o: { abortSignal: AbortSignal }) =>
    c.iam.send(new GetOrganizationsAccessReportCommand({ JobId: jobId, MaxItems: MAX_ITEMS, Marker }), o);
  const polled = await waitForReportJob(ctx, { arn: about, jobId }, { ...options, timeoutMs: left }, () =>
    awsCall(ctx, spec, (c, o) => fetchPage(undefined, c, o)),
  );
  if (polled.kind === 'timed-out') {
    throw awsError(
      `the Organizations access report for ${about} (job ${jobId}) was still IN_PROGRESS after ${formatDuration(options.timeoutMs)}` +
        ` (${polled.polls} polls); raise --timeout`,
    );
  }
  const first = polled.value;
  if (first.JobStatus === 'FAILED') {
    const code = first.ErrorDetails?.Code ?? 'unknown code';
    const message = first.ErrorDetails?.Message ?? 'no message';
    throw awsError(`the Organizations access report job ${jobId} for ${about} FAILED: ${code}: ${message}`);
  }
  if (first.JobStatus !== 'COMPLETED') {
    throw awsError(`the Organizations access report job ${jobId} for ${about} ended with status ${String(first.JobStatus)}`);
  }
  const pages = await followMarkers(ctx, spec, fetchPage, first);
  return mergePages(target, jobId, pages);
}

async function startJob(
  ctx: CollectContext,
  target: OrganizationsReportTarget,
  options: LastAccessedOptions,
  sleep: ((ms: number, signal: AbortSignal) => Promise<void>) | undefined,
): Promise<string> {
  const spec = { action: 'iam:GenerateOrganizationsAccessReport', resource: target.entityPath, notFound: target.notFound } as const;
  const generate = async (): Promise<{ busy: true } | { busy: false; jobId: string }> => {
    try {
      const { JobId } = await awsCall(ctx, spec, (c, o) =>
        c.iam.send(
          new GenerateOrganizationsAccessReportCommand({
            EntityPath: target.entityPath,
            ...(target.policyId !== undefined ? { OrganizationsPolicyId: target.policyId } : {}),
          }),
          o,
        ),
      );
      if (JobId === undefined) throw awsError(`GenerateOrganizationsAccessReport returned no JobId for ${target.entityPath}`);
      return { busy: false, jobId: JobId };
    } catch (error) {
      if (isGenerationLimit(error)) return { busy: true };
      throw error;
    }
  };
  let waits = 0;
  const result = await pollUntil(
    generate,
    (r) => {
      if (!r.busy) return true;
      ctx.onProgress?.({ kind: 'report-generation-waiting', arn: target.entityPath, waits: ++waits });
      return false;
    },
    {
      initialDelayMs: LIMIT_FIRST_WAIT_MS,
      maxDelayMs: LIMIT_MAX_WAIT_MS,
      factor: LIMIT_FACTOR,
      timeoutMs: options.timeoutMs,
      signal: ctx.signal,
      ...(sleep !== undefined ? { sleep } : {}),
    },
  );
  if (result.kind === 'timed-out' || result.value.busy) {
    throw awsError(
      `another Organizations access report was still being generated after ${formatDuration(options.timeoutMs)} ` +
        `(ReportGenerationLimitExceeded, ${waits} tries); wait for it or raise --timeout`,
    );
  }
  return result.value.jobId;
}

/** the classified error keeps the SDK's error as its cause */
function isGenerationLimit(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e !== undefined && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const name = (e as { name?: unknown } | null)?.name;
    if (name === 'ReportGenerationLimitExceededException' || name === 'ReportGenerationLimitExceeded') return true;
  }
  return false;
}

function mergePages(target: OrganizationsReportTarget, jobId: string, pages: GetOrganizationsAccessReportCommandOutput[]): OrganizationsReport {
  const [first] = pages;
  if (first === undefined) throw awsError(`no Organizations access report page for ${target.entityPath}`);
  for (const page of pages) {
    if (page.JobStatus !== 'COMPLETED') {
      throw awsError(`a later page of the Organizations access report for ${target.entityPath} has status ${String(page.JobStatus)}`);
    }
  }
  return definedOnly({
    Kind: 'organizations-access' as const,
    EntityPath: target.entityPath,
    OrganizationsPolicyId: target.policyId,
    JobStatus: 'COMPLETED' as const,
    JobCreationDate: requiredIsoDate(first.JobCreationDate, `JobCreationDate of job ${jobId}`),
    JobCompletionDate: requiredIsoDate(first.JobCompletionDate, `JobCompletionDate of job ${jobId}`),
    AccessDetails: pages.flatMap((page) => (page.AccessDetails ?? []).map(snapshotDetail)),
    JobId: jobId,
    NumberOfServicesAccessible: first.NumberOfServicesAccessible,
    NumberOfServicesNotAccessed: first.NumberOfServicesNotAccessed,
  });
}

/** One AccessDetails row exactly as the API returned it, dates as ISO strings, absent fields absent. */
function snapshotDetail(d: SdkAccessDetail): AccessDetail {
  return definedOnly({
    ServiceName: d.ServiceName ?? '',
    ServiceNamespace: d.ServiceNamespace ?? '',
    Region: d.Region,
    EntityPath: d.EntityPath,
    LastAuthenticatedTime: isoDate(d.LastAuthenticatedTime),
    TotalAuthenticatedEntities: d.TotalAuthenticatedEntities,
  });
}
