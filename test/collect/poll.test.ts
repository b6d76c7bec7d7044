import { describe, expect, it } from 'vitest';
import { pollUntil, type PollOptions } from '../../src/collect/poll.js';

/** pollUntil on a fake clock: records every wait instead of sleeping */
async function schedule(options: Partial<PollOptions> & { doneAfterPolls?: number }) {
  let clock = 0;
  const waits: number[] = [];
  let polls = 0;
  const result = await pollUntil(
    async () => ++polls,
    (n) => n >= (options.doneAfterPolls ?? Infinity),
    {
      initialDelayMs: 500,
      maxDelayMs: 5000,
      factor: 1.3,
      timeoutMs: 600_000,
      signal: new AbortController().signal,
      now: () => clock,
      sleep: async (ms) => {
        waits.push(ms);
        clock += ms;
      },
      ...options,
    },
  );
  return { result, waits, clock };
}

describe('pollUntil: exponential backoff with equal jitter, bounded by a deadline', () => {
  it('grows each step by the factor up to the cap; with the jitter at its top every wait is the whole step', async () => {
    const { waits } = await schedule({ random: () => 1, doneAfterPolls: 12 });
    expect(waits.map(Math.round)).toEqual([500, 650, 845, 1099, 1428, 1856, 2413, 3137, 4079, 5000, 5000]);
  });

  it('never waits less than half a step (jitter pinned low)', async () => {
    const { waits } = await schedule({ random: () => 0, doneAfterPolls: 4 });
    expect(waits).toEqual([250, 325, 422.5]);
  });

  it('returns the value that is done, after as many polls as it took', async () => {
    const { result } = await schedule({ random: () => 0.5, doneAfterPolls: 3 });
    expect(result).toEqual({ kind: 'done', value: 3 });
  });

  it('polls one last time at the deadline, never after it, then reports the timeout', async () => {
    const { result, waits, clock } = await schedule({ random: () => 1, timeoutMs: 2000 });
    expect(clock).toBe(2000);
    expect(waits.map(Math.round)).toEqual([500, 650, 845, 5]);
    expect(result).toEqual({ kind: 'timed-out', last: 5, polls: 5 });
  });

  it('waits firstDelayMs before the first poll, then backs off from the initial delay; the deadline counts the wait', async () => {
    const { waits, result } = await schedule({ random: () => 1, firstDelayMs: 2000, doneAfterPolls: 3 });
    expect(waits.map(Math.round)).toEqual([2000, 500, 650]);
    expect(result).toEqual({ kind: 'done', value: 3 });
    const late = await schedule({ random: () => 1, firstDelayMs: 5000, timeoutMs: 3000 });
    expect(late.waits).toEqual([3000]);
    expect(late.result).toEqual({ kind: 'timed-out', last: 1, polls: 1 });
  });
});
