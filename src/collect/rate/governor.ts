/**
 * The run's rate governor: one per client set (so per account, since IAM's buckets are per account), shared by every
 * call the IAM, STS and Organizations clients make, every attempt included (a retry waits for its turn too).
 *
 * - At most `maxInFlight` attempts are out at once (a slot is held from the pacing wait to the reply).
 * - Each lane (an API family: src/collect/rate/api-family.ts) is unpaced until its first throttle, then paced at a
 *   rate that is cut multiplicatively on a throttle and raised additively on each success (AIMD).
 * - A cut happens at most once per round: only a throttle of an attempt sent after the last cut, once `roundSends`
 *   attempts have gone out since, counts. The replies of attempts already in flight when AWS started throttling say
 *   nothing about the new rate; counting them is what collapses a client to a crawl.
 * - The rate never falls below `floorRps`: IAM also throttles for reasons the rate does not change (other clients of
 *   the account), and a collection at 0.5 requests per second is a failure in all but name.
 */
export interface GovernorClock {
  /** milliseconds, monotonic */
  now(): number;
  /** resolves after `ms`, rejects (AbortError) when `signal` aborts first */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface GovernorOptions {
  /** attempts out at once, all lanes together; default DEFAULT_MAX_IN_FLIGHT */
  maxInFlight?: number;
  /** the lowest paced rate, requests per second; default 2 */
  floorRps?: number;
  /** a cut multiplies the lane's rate (or the rate it was measured sending at, if lower) by this; default 0.8 */
  decrease?: number;
  /** requests per second added per second of successes at the paced rate (each success adds increase/rate); default 8 */
  increase?: number;
  /** attempts of the lane that go out after a cut before a throttle may cut again; default 10 */
  roundSends?: number;
  clock?: GovernorClock;
}

export const DEFAULT_MAX_IN_FLIGHT = 16;

/** How an attempt ended, for the lane's rate: a throttle cuts it, a success raises it, anything else leaves it. */
export type AttemptOutcome = 'ok' | 'throttled' | 'failed';

/** One attempt's turn: `done` gives the slot back (exactly once; later calls are ignored). */
export interface Permit {
  done(outcome: AttemptOutcome): void;
}

export interface LaneState {
  /** requests per second; undefined while the lane has never been throttled (unpaced) */
  rate: number | undefined;
  cuts: number;
  sends: number;
}

export interface RateGovernor {
  /** waits for a slot, then for the lane's pace; rejects with an AbortError when `signal` aborts first */
  acquire(lane: string, signal?: AbortSignal): Promise<Permit>;
  lane(lane: string): LaneState;
  readonly inFlight: number;
}

/** Past this, a lane never throttled again is as good as unpaced; keeps the arithmetic finite. */
const MAX_RATE = 10_000;
/** the window the sending rate is measured over */
const MEASURE_MS = 1_000;

interface Lane extends LaneState {
  /** when the next attempt may go out (ms, the clock's) */
  nextAt: number;
  /** `sends` at the last cut: attempts numbered up to it were sent before the cut */
  cutAtSend: number;
  /** send times within the last MEASURE_MS */
  recent: number[];
  firstSendAt: number | undefined;
}

export function createRateGovernor(options: GovernorOptions = {}): RateGovernor {
  const maxInFlight = options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
  const floor = options.floorRps ?? 2;
  const decrease = options.decrease ?? 0.8;
  const increase = options.increase ?? 8;
  const roundSends = options.roundSends ?? 10;
  const clock = options.clock ?? systemClock;
  const lanes = new Map<string, Lane>();
  const waiting: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  let inFlight = 0;

  const laneOf = (name: string): Lane => {
    let lane = lanes.get(name);
    if (lane === undefined) {
      lane = { rate: undefined, cuts: 0, sends: 0, nextAt: 0, cutAtSend: 0, recent: [], firstSendAt: undefined };
      lanes.set(name, lane);
    }
    return lane;
  };

  const takeSlot = (signal: AbortSignal | undefined): Promise<void> => {
    if (signal?.aborted) return Promise.reject(abortError());
    if (inFlight < maxInFlight) {
      inFlight++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const entry = {
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        reject,
      };
      const onAbort = (): void => {
        const at = waiting.indexOf(entry);
        if (at >= 0) waiting.splice(at, 1);
        reject(abortError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      waiting.push(entry);
    });
  };

  // a finished attempt hands its slot straight to the next in line, so no newcomer can slip in between
  const giveSlot = (): void => {
    const next = waiting.shift();
    if (next !== undefined) next.resolve();
    else inFlight--;
  };

  const forget = (lane: Lane, now: number): void => {
    while (lane.recent.length > 0 && (lane.recent[0] as number) <= now - MEASURE_MS) lane.recent.shift();
  };

  const sendRate = (lane: Lane, now: number): number => {
    forget(lane, now);
    const span = Math.min(MEASURE_MS, Math.max(100, now - (lane.firstSendAt ?? now)));
    return (lane.recent.length * 1000) / span;
  };

  const settle = (lane: Lane, sendNo: number, outcome: AttemptOutcome): void => {
    if (outcome === 'ok' && lane.rate !== undefined) {
      lane.rate = Math.min(MAX_RATE, lane.rate + increase / lane.rate);
    } else if (outcome === 'throttled' && sendNo > lane.cutAtSend && lane.sends - lane.cutAtSend >= roundSends) {
      const measured = sendRate(lane, clock.now());
      lane.rate = Math.max(floor, decrease * Math.min(lane.rate ?? Infinity, measured));
      lane.cutAtSend = lane.sends;
      lane.cuts++;
    }
  };

  const acquire = async (name: string, signal?: AbortSignal): Promise<Permit> => {
    await takeSlot(signal);
    const lane = laneOf(name);
    try {
      const now = clock.now();
      if (lane.rate !== undefined) {
        // reserve the next turn now, so attempts waiting together go out one interval apart
        const at = Math.max(now, lane.nextAt);
        lane.nextAt = at + 1000 / lane.rate;
        if (at > now) await clock.sleep(at - now, signal);
      }
    } catch (error) {
      giveSlot();
      throw error;
    }
    const sentAt = clock.now();
    const sendNo = ++lane.sends;
    lane.firstSendAt ??= sentAt;
    forget(lane, sentAt);
    lane.recent.push(sentAt);
    let open = true;
    return {
      done: (outcome) => {
        if (!open) return;
        open = false;
        settle(lane, sendNo, outcome);
        giveSlot();
      },
    };
  };

  return {
    acquire,
    lane: (name) => {
      const { rate, cuts, sends } = laneOf(name);
      return { rate, cuts, sends };
    },
    get inFlight() {
      return inFlight;
    },
  };
}

function abortError(): Error {
  return Object.assign(new Error('Request aborted'), { name: 'AbortError' });
}

const systemClock: GovernorClock = {
  now: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(abortError());
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(abortError());
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};
