/**
 * How long this account's report jobs take, learned as they complete: a job's first poll waits about that long, so
 * that with hundreds of jobs most cost one poll instead of one per backoff step. AWS publishes no figure (0.3–6 s in
 * practice, longer for a busy account), so nothing is assumed: until a job completes, the default schedule applies.
 *
 * A job's duration is AWS's own (JobCompletionDate − JobCreationDate), not the time until we saw it COMPLETED: that
 * one includes our own wait, so a median of it would only ever grow.
 */
export interface JobTiming {
  /** the wait before a new job's first poll; undefined until some job has completed */
  firstPollDelayMs(): number | undefined;
  record(report: { JobCreationDate: string; JobCompletionDate: string }): void;
}

/** the recent durations the median is taken over: enough to be steady, few enough to follow a change */
const WINDOW = 51;

export function createJobTiming(): JobTiming {
  const recent: number[] = [];
  let median: number | undefined;
  return {
    firstPollDelayMs: () => median,
    record({ JobCreationDate, JobCompletionDate }) {
      const ms = Date.parse(JobCompletionDate) - Date.parse(JobCreationDate);
      // a clock step or a missing date says nothing about the next job
      if (!Number.isFinite(ms) || ms < 0) return;
      recent.push(ms);
      if (recent.length > WINDOW) recent.shift();
      const sorted = [...recent].sort((a, b) => a - b);
      median = sorted[Math.floor(sorted.length / 2)];
    },
  };
}
