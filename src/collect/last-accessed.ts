import {
  GenerateServiceLastAccessedDetailsCommand,
  GetServiceLastAccessedDetailsCommand,
  type GetServiceLastAccessedDetailsCommandOutput,
  type ServiceLastAccessed as SdkServiceLastAccessed,
} from '@aws-sdk/client-iam';
import { awsError } from '../errors.js';
import type { LastAccessedReport, ServiceLastAccessed } from '../snapshot/types.js';
import { awsCall, type CollectContext } from './call.js';
import { definedOnly, isoDate, requiredIsoDate } from './dates.js';
import { followMarkers, MAX_ITEMS } from './paginate.js';
import { pollUntil, type PollResult } from './poll.js';

export interface LastAccessedOptions {
  /** bound on the wait for the job (--timeout) */
  timeoutMs: number;
  /** first poll interval; later ones back off up to MAX_POLL_INTERVAL_MS */
  pollIntervalMs: number;
  /**
   * how long to wait before the first poll (none: poll at once). An account-wide run knows how long its jobs take
   * and sets it, so that most jobs cost one poll; a single collection keeps the schedule above.
   */
  firstPollDelayMs?: number;
}

export const DEFAULT_TIMEOUT_MS = 10 * 60_000;
/** IAM jobs take 0.3–6 s in practice: a short first wait and a gentle backoff end close to the completion. */
export const DEFAULT_POLL_INTERVAL_MS = 500;
const MAX_POLL_INTERVAL_MS = 5_000;
const POLL_FACTOR = 1.3;

/** The report job as started: its ID is readable only by the principal (or role session) that created it. */
export interface ReportJob {
  JobId: string;
  Arn: string;
}

/** GenerateServiceLastAccessedDetails with ACTION_LEVEL granularity; `notFound` words a NoSuchEntity (the target is missing). */
export async function startLastAccessedJob(
  ctx: CollectContext,
  Arn: string,
  notFound?: () => Promise<string>,
): Promise<ReportJob> {
  const spec = { action: 'iam:GenerateServiceLastAccessedDetails', resource: Arn, ...(notFound ? { notFound } : {}) } as const;
  const { JobId } = await awsCall(ctx, spec, (c, o) =>
    c.iam.send(new GenerateServiceLastAccessedDetailsCommand({ Arn, Granularity: 'ACTION_LEVEL' }), o),
  );
  if (JobId === undefined) throw awsError(`GenerateServiceLastAccessedDetails returned no JobId for ${Arn}`);
  return { JobId, Arn };
}

/**
 * Polls GetServiceLastAccessedDetails until the job leaves IN_PROGRESS, then follows every Marker page (MaxItems
 * 1000; IAM may return fewer while more remain) and merges them into one report in API order.
 */
export async function readLastAccessedReport(
  ctx: CollectContext,
  job: ReportJob,
  options: LastAccessedOptions,
): Promise<LastAccessedReport> {
  const spec = { action: 'iam:GetServiceLastAccessedDetails', resource: job.Arn } as const;
  const fetchPage = (Marker: string | undefined, c: CollectContext['clients'], o: { abortSignal: AbortSignal }) =>
    c.iam.send(new GetServiceLastAccessedDetailsCommand({ JobId: job.JobId, MaxItems: MAX_ITEMS, Marker }), o);

  const polled = await waitForReportJob(ctx, { arn: job.Arn, jobId: job.JobId }, options, () => awsCall(ctx, spec, (c, o) => fetchPage(undefined, c, o)));
  if (polled.kind === 'timed-out') {
    throw awsError(
      `the last-accessed report for ${job.Arn} (job ${job.JobId}) was still IN_PROGRESS after ${formatDuration(options.timeoutMs)}` +
        ` (${polled.polls} polls); raise --timeout`,
    );
  }
  const first = polled.value;
  if (first.JobStatus === 'FAILED') {
    const code = first.Error?.Code ?? 'unknown code';
    const message = first.Error?.Message ?? 'no message';
    throw awsError(`the last-accessed report job ${job.JobId} for ${job.Arn} FAILED: ${code}: ${message}`);
  }
  if (first.JobStatus !== 'COMPLETED') {
    throw awsError(`the last-accessed report job ${job.JobId} for ${job.Arn} ended with status ${String(first.JobStatus)}`);
  }
  const pages = await followMarkers(ctx, spec, fetchPage, first);
  return mergeReportPages(job, pages);
}

/** Polls until a report job leaves IN_PROGRESS, telling ctx.onProgress how the wait goes (both IAM report kinds). */
export async function waitForReportJob<T extends { JobStatus?: string | undefined }>(
  ctx: CollectContext,
  about: { arn: string; jobId: string },
  options: LastAccessedOptions,
  poll: () => Promise<T>,
): Promise<PollResult<T>> {
  let polls = 0;
  ctx.onProgress?.({ kind: 'report-wait-started', ...about });
  try {
    return await pollUntil(
      poll,
      (page) => {
        if (page.JobStatus !== 'IN_PROGRESS') return true;
        ctx.onProgress?.({ kind: 'report-polled', ...about, polls: ++polls });
        return false;
      },
      {
        initialDelayMs: options.pollIntervalMs,
        ...(options.firstPollDelayMs !== undefined ? { firstDelayMs: options.firstPollDelayMs } : {}),
        maxDelayMs: Math.max(options.pollIntervalMs, MAX_POLL_INTERVAL_MS),
        factor: POLL_FACTOR,
        timeoutMs: options.timeoutMs,
        signal: ctx.signal,
      },
    );
  } finally {
    ctx.onProgress?.({ kind: 'report-wait-ended', ...about });
  }
}

function mergeReportPages(job: ReportJob, pages: GetServiceLastAccessedDetailsCommandOutput[]): LastAccessedReport {
  const [first] = pages;
  if (first === undefined) throw awsError(`no last-accessed report page for ${job.Arn}`);
  for (const page of pages) {
    if (page.JobStatus !== 'COMPLETED') {
      throw awsError(`a later page of the last-accessed report for ${job.Arn} has status ${String(page.JobStatus)}`);
    }
  }
  return {
    JobId: job.JobId,
    JobType: first.JobType ?? 'ACTION_LEVEL',
    JobStatus: 'COMPLETED',
    JobCreationDate: requiredIsoDate(first.JobCreationDate, `JobCreationDate of job ${job.JobId}`),
    JobCompletionDate: requiredIsoDate(first.JobCompletionDate, `JobCompletionDate of job ${job.JobId}`),
    ServicesLastAccessed: pages.flatMap((page) => (page.ServicesLastAccessed ?? []).map(snapshotService)),
  };
}

/** One ServicesLastAccessed item exactly as the API returned it, dates as ISO strings, absent fields absent. */
function snapshotService(s: SdkServiceLastAccessed): ServiceLastAccessed {
  return definedOnly({
    ServiceName: s.ServiceName ?? '',
    ServiceNamespace: s.ServiceNamespace ?? '',
    LastAuthenticated: isoDate(s.LastAuthenticated),
    LastAuthenticatedEntity: s.LastAuthenticatedEntity,
    LastAuthenticatedRegion: s.LastAuthenticatedRegion,
    TotalAuthenticatedEntities: s.TotalAuthenticatedEntities,
    TrackedActionsLastAccessed: s.TrackedActionsLastAccessed?.map((a) =>
      definedOnly({
        ActionName: a.ActionName,
        LastAccessedEntity: a.LastAccessedEntity,
        LastAccessedTime: isoDate(a.LastAccessedTime),
        LastAccessedRegion: a.LastAccessedRegion,
      }),
    ),
  });
}

export function formatDuration(ms: number): string {
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  if (ms % 1000 === 0) return `${ms / 1000} s`;
  return `${ms} ms`;
}
