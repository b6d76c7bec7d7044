import { createHash } from 'node:crypto';

/**
 * Asynchronous report jobs. A job's dates come from the fixture clock (creation = `now`, completion = `now` +
 * jobCompletionMs) so replies are deterministic; whether it is still IN_PROGRESS is decided by the wall clock, so a
 * client really has to poll.
 */
export type JobOutcome<R> = { status: 'COMPLETED'; report: R } | { status: 'FAILED'; error: { Code: string; Message: string } };

export interface Job<R> {
  id: string;
  /** the caller ARN that generated it: only that caller may read it */
  creatorArn: string;
  startedAtWallMs: number;
  completionMs: number;
  creationDate: Date;
  completionDate: Date;
  /** computed when first read after completion */
  outcome: () => JobOutcome<R>;
}

export type JobView<R> =
  | { status: 'IN_PROGRESS'; job: Job<R> }
  | { status: 'COMPLETED'; job: Job<R>; report: R }
  | { status: 'FAILED'; job: Job<R>; error: { Code: string; Message: string } };

/** A UUID-shaped id derived from the seed and a counter: reproducible across runs. */
export function deterministicUuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export class JobStore<R> {
  private readonly jobs = new Map<string, Job<R>>();
  private counter = 0;

  constructor(
    private readonly options: { seed: number; prefix: string; now: Date; completionMs: number },
  ) {}

  create(creatorArn: string, compute: () => JobOutcome<R>): Job<R> {
    this.counter++;
    const id = deterministicUuid(`${this.options.prefix}:${this.options.seed}:${this.counter}`);
    let cached: JobOutcome<R> | undefined;
    const job: Job<R> = {
      id,
      creatorArn,
      startedAtWallMs: Date.now(),
      completionMs: this.options.completionMs,
      creationDate: this.options.now,
      completionDate: new Date(this.options.now.getTime() + this.options.completionMs),
      outcome: () => (cached ??= compute()),
    };
    this.jobs.set(id, job);
    return job;
  }

  /** undefined when the id is unknown or belongs to another caller (IAM answers both the same way) */
  read(id: string, callerArn: string): JobView<R> | undefined {
    const job = this.jobs.get(id);
    if (!job || job.creatorArn !== callerArn) return undefined;
    if (Date.now() - job.startedAtWallMs < job.completionMs) return { status: 'IN_PROGRESS', job };
    const outcome = job.outcome();
    return outcome.status === 'COMPLETED'
      ? { status: 'COMPLETED', job, report: outcome.report }
      : { status: 'FAILED', job, error: outcome.error };
  }

  /** ends every running job now (tests step a job from IN_PROGRESS to its outcome without waiting on the clock) */
  completeAll(): void {
    for (const job of this.jobs.values()) job.startedAtWallMs = -Infinity;
  }

  /** any job of this store still running (Organizations allows one report generation at a time) */
  anyInProgress(): boolean {
    const t = Date.now();
    return [...this.jobs.values()].some((j) => t - j.startedAtWallMs < j.completionMs);
  }
}
