import { setTimeout as sleep } from 'node:timers/promises';

/** How often to ask whether an asynchronous job is done. */
export interface PollOptions {
  /** first wait; later waits grow by `factor` up to `maxDelayMs` */
  initialDelayMs: number;
  /**
   * a wait before the first attempt (none by default): a caller that knows roughly how long the job takes asks once
   * it is likely done instead of polling from the start; the backoff from `initialDelayMs` follows it
   */
  firstDelayMs?: number;
  maxDelayMs: number;
  factor: number;
  /** give up after this long (measured from the first poll, or from the start of `firstDelayMs`) */
  timeoutMs: number;
  signal: AbortSignal;
  /** [0, 1): Math.random unless a test pins it */
  random?: () => number;
  /** the clock and the wait, replaceable so a test can check the schedule without waiting */
  now?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

const realSleep = (ms: number, signal: AbortSignal): Promise<void> => sleep(ms, undefined, { signal });

export type PollResult<T> = { kind: 'done'; value: T } | { kind: 'timed-out'; last: T; polls: number };

/**
 * Calls `attempt` until `isDone`, waiting between calls with exponential backoff and "equal jitter" (each wait is
 * between half and all of the backoff step), so many collectors started together do not poll in lockstep.
 * The last poll happens at the deadline, never after it.
 */
export async function pollUntil<T>(
  attempt: () => Promise<T>,
  isDone: (value: T) => boolean,
  options: PollOptions,
): Promise<PollResult<T>> {
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const wait = options.sleep ?? realSleep;
  const deadline = now() + options.timeoutMs;
  let step = options.initialDelayMs;
  const first = Math.min(options.firstDelayMs ?? 0, options.timeoutMs);
  if (first > 0) await wait(first, options.signal);
  for (let polls = 1; ; polls++) {
    const value = await attempt();
    if (isDone(value)) return { kind: 'done', value };
    const left = deadline - now();
    if (left <= 0) return { kind: 'timed-out', last: value, polls };
    await wait(Math.min(step / 2 + (random() * step) / 2, left), options.signal);
    step = Math.min(step * options.factor, options.maxDelayMs);
  }
}
