import { StandardRetryStrategy } from '@smithy/core/retry';
import { describe, expect, it } from 'vitest';
import {
  createRetryStrategy,
  THROTTLE_BACKOFF_BASE_MS,
  THROTTLE_BACKOFF_CAP_MS,
  THROTTLED_MAX_ATTEMPTS,
  ThrottleTolerantRetryStrategy,
  UNREACHABLE_MAX_ATTEMPTS,
  type SdkRetryStrategy,
} from '../../../src/collect/retry-strategy.js';

type ErrorInfo = Parameters<SdkRetryStrategy['refreshRetryTokenForRetry']>[1];
const throttled: ErrorInfo = { errorType: 'THROTTLING', error: Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }) } as ErrorInfo;
const refused: ErrorInfo = { errorType: 'TRANSIENT', error: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) } as ErrorInfo;
// the SDK classifies a 500 as TRANSIENT (its status is in TRANSIENT_ERROR_STATUS_CODES)
const serverError: ErrorInfo = { errorType: 'TRANSIENT', error: Object.assign(new Error('oops'), { name: 'ServiceFailure', $metadata: { httpStatusCode: 500 } }) } as ErrorInfo;

/** attempts one call gets from the strategy before it refuses a retry for `info` */
async function attemptsUntilRefused(strategy: SdkRetryStrategy, info: ErrorInfo): Promise<number> {
  let token = await strategy.acquireInitialRetryToken('');
  for (let attempts = 1; ; attempts++) {
    try {
      token = await strategy.refreshRetryTokenForRetry(token, info);
    } catch {
      return attempts;
    }
  }
}

describe('the throttle-tolerant retry strategy', () => {
  it(`gives a throttled call ${THROTTLED_MAX_ATTEMPTS} attempts, with full-jitter capped exponential back-off`, async () => {
    const strategy = new ThrottleTolerantRetryStrategy({ maxAttempts: 12, throttledMaxAttempts: THROTTLED_MAX_ATTEMPTS, random: () => 0.999999 });
    let token = await strategy.acquireInitialRetryToken('');
    const delays: number[] = [];
    for (let i = 1; i < THROTTLED_MAX_ATTEMPTS; i++) {
      token = await strategy.refreshRetryTokenForRetry(token, throttled);
      delays.push(token.getRetryDelay());
    }
    await expect(strategy.refreshRetryTokenForRetry(token, throttled)).rejects.toThrow(/No retry token available/);
    expect(delays[0]).toBe(THROTTLE_BACKOFF_BASE_MS - 1);
    expect(delays[1]).toBe(2 * THROTTLE_BACKOFF_BASE_MS - 1);
    expect(Math.max(...delays)).toBe(THROTTLE_BACKOFF_CAP_MS - 1);
    const none = new ThrottleTolerantRetryStrategy({ maxAttempts: 12, throttledMaxAttempts: 30, random: () => 0 });
    expect((await none.refreshRetryTokenForRetry(await none.acquireInitialRetryToken(''), throttled)).getRetryDelay()).toBe(0);
  });

  it("never runs out under a sustained throttle, where the SDK's standard strategy drains its capacity and fails calls", async () => {
    const ours = new ThrottleTolerantRetryStrategy({ maxAttempts: 12, throttledMaxAttempts: THROTTLED_MAX_ATTEMPTS, random: () => 0 });
    const oursAttempts = await Promise.all(Array.from({ length: 200 }, () => attemptsUntilRefused(ours, throttled)));
    expect(new Set(oursAttempts)).toEqual(new Set([THROTTLED_MAX_ATTEMPTS]));
    // the SDK's: 500 of capacity, 5 per throttled retry, so ~100 retries for all the calls together, then none
    const sdk = new StandardRetryStrategy(THROTTLED_MAX_ATTEMPTS);
    const sdkAttempts: number[] = [];
    for (let call = 0; call < 8; call++) sdkAttempts.push(await attemptsUntilRefusedNoWait(sdk, throttled));
    expect(sdkAttempts.slice(0, 3)).toEqual([30, 30, 30]);
    expect(sdkAttempts.at(-1)).toBe(1);
  });

  it('leaves every other error to the standard strategy and its attempts', async () => {
    const strategy = new ThrottleTolerantRetryStrategy({ maxAttempts: 3, throttledMaxAttempts: 30 });
    expect(await attemptsUntilRefusedNoWait(strategy, serverError)).toBe(3);
    const clientError = { errorType: 'CLIENT_ERROR', error: new Error('bad') } as ErrorInfo;
    expect(await attemptsUntilRefused(strategy, clientError)).toBe(1);
  });

  it('keeps the unreachable cap and counts throttled retries when built by createRetryStrategy', async () => {
    let counted = 0;
    const strategy = createRetryStrategy({ retryMode: 'governed', maxAttempts: 12, onThrottledRetry: () => counted++ });
    expect(await attemptsUntilRefusedNoWait(strategy, refused)).toBe(UNREACHABLE_MAX_ATTEMPTS);
    let token = await strategy.acquireInitialRetryToken('');
    token = await strategy.refreshRetryTokenForRetry(token, throttled);
    token = await strategy.refreshRetryTokenForRetry(token, throttled);
    expect(counted).toBe(2);
    // a reply in between (a throttle) restarts the count of refused connections
    await withoutWaits(async () => {
      token = await strategy.refreshRetryTokenForRetry(token, refused);
      token = await strategy.refreshRetryTokenForRetry(token, throttled);
      token = await strategy.refreshRetryTokenForRetry(token, refused);
      token = await strategy.refreshRetryTokenForRetry(token, refused);
      await expect(strategy.refreshRetryTokenForRetry(token, refused)).rejects.toThrow(/nothing answered 3 attempts in a row/);
    });
    expect(counted).toBe(3);
  });

  it('counts throttled retries in the SDK modes too', async () => {
    let counted = 0;
    const strategy = createRetryStrategy({ retryMode: 'standard', maxAttempts: 2, onThrottledRetry: () => counted++ });
    expect(await attemptsUntilRefusedNoWait(strategy, throttled)).toBe(2);
    expect(counted).toBe(1);
  });
});

/**
 * The SDK's standard strategy sleeps its back-off (1 s base when throttled) inside refreshRetryTokenForRetry: `body`
 * runs with every timer firing at once, so a test sees its decisions, not its waits.
 */
async function withoutWaits<T>(body: () => Promise<T>): Promise<T> {
  const realSetTimeout = globalThis.setTimeout;
  globalThis.setTimeout = ((fn: () => void) => realSetTimeout(fn, 0)) as typeof setTimeout;
  try {
    return await body();
  } finally {
    globalThis.setTimeout = realSetTimeout;
  }
}

const attemptsUntilRefusedNoWait = (strategy: SdkRetryStrategy, info: ErrorInfo): Promise<number> =>
  withoutWaits(() => attemptsUntilRefused(strategy, info));
