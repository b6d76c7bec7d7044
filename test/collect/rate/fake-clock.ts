import type { GovernorClock } from '../../../src/collect/rate/governor.js';

/** A clock that moves only when the test says so; sleepers wake in order of their deadline. */
export function fakeClock(): GovernorClock & { advance(ms: number): Promise<void>; sleepers(): number[] } {
  let now = 0;
  const timers: { at: number; wake: () => void }[] = [];
  return {
    now: () => now,
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        const timer = { at: now + ms, wake: resolve };
        timers.push(timer);
        signal?.addEventListener('abort', () => {
          const at = timers.indexOf(timer);
          if (at >= 0) timers.splice(at, 1);
          reject(Object.assign(new Error('Request aborted'), { name: 'AbortError' }));
        });
      }),
    advance: async (ms) => {
      const until = now + ms;
      // the sleeps of acquisitions started just before
      await settled();
      for (;;) {
        timers.sort((a, b) => a.at - b.at);
        const next = timers[0];
        if (next === undefined || next.at > until) break;
        timers.shift();
        now = next.at;
        next.wake();
        await settled();
      }
      now = until;
      await settled();
    },
    sleepers: () => timers.map((t) => t.at),
  };
}

/** lets every promise callback that is ready run */
export const settled = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
