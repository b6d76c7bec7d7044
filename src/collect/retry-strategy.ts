import type { IAMClientConfig } from '@aws-sdk/client-iam';
import { AdaptiveRetryStrategy, StandardRetryStrategy } from '@smithy/core/retry';
import { UNREACHABLE_CODES } from './aws-errors.js';

/** The SDK's RetryStrategyV2 (the token-based one), named through the client config to need no @smithy/types import */
export type SdkRetryStrategy = Extract<NonNullable<IAMClientConfig['retryStrategy']>, { acquireInitialRetryToken: unknown }>;
type RetryToken = Awaited<ReturnType<SdkRetryStrategy['acquireInitialRetryToken']>>;
type RetryErrorInfo = Parameters<SdkRetryStrategy['refreshRetryTokenForRetry']>[1];
/** the standard strategy's tokens, and ThrottledRetryToken: both tell their retry cost */
type StandardToken = Parameters<StandardRetryStrategy['recordSuccess']>[0];

/**
 * Attempts a call makes while nothing answers at the endpoint (connection refused, no such host, a resolver that does
 * not answer, no route). The SDK counts these as transient and would retry them as often as throttling (~25 s of
 * back-off on a mistyped --endpoint-url); three attempts in a row are enough to tell a blip from an address where
 * nothing listens.
 */
export const UNREACHABLE_MAX_ATTEMPTS = 3;
/**
 * Attempts a call makes while the endpoint stays silent (no connection, or no reply, within the timeouts of
 * src/collect/clients.ts). Each one costs a whole timeout, so a second attempt on a fresh connection is the only retry.
 */
export const SILENT_MAX_ATTEMPTS = 2;

/**
 * Attempts a throttled call makes in 'governed' mode, unless a maximum is given (AWS_MAX_ATTEMPTS): throttling only
 * slows a run down. With the back-off below, 30 attempts are ~1.5 min of waiting for one call.
 */
export const THROTTLED_MAX_ATTEMPTS = 30;
/** full-jitter exponential back-off of a throttled attempt in 'governed' mode: base × 2^retries, at most the cap */
export const THROTTLE_BACKOFF_BASE_MS = 100;
export const THROTTLE_BACKOFF_CAP_MS = 5_000;

/**
 * 'governed': leastpriv's (ThrottleTolerantRetryStrategy, paced by the client set's rate governor); 'adaptive' and
 * 'standard': the SDK's own, as the client would build them, and no governor.
 */
export type RetryMode = 'governed' | 'adaptive' | 'standard';

export interface RetryStrategyOptions {
  /** attempts for any retryable error in the SDK's modes; for all but throttling in 'governed' mode */
  maxAttempts: number;
  /** 'governed' mode: attempts of a throttled call; default THROTTLED_MAX_ATTEMPTS */
  throttledMaxAttempts?: number;
  retryMode: RetryMode;
  /** called once per throttled attempt that will be retried */
  onThrottledRetry?: () => void;
}

/** The strategy of `retryMode`, with unreachable endpoints capped and throttled retries counted. */
export function createRetryStrategy(options: RetryStrategyOptions): SdkRetryStrategy {
  const { maxAttempts, retryMode } = options;
  const inner =
    retryMode === 'governed'
      ? new ThrottleTolerantRetryStrategy({ maxAttempts, throttledMaxAttempts: options.throttledMaxAttempts ?? THROTTLED_MAX_ATTEMPTS })
      : retryMode === 'adaptive'
        ? new AdaptiveRetryStrategy(maxAttempts)
        : new StandardRetryStrategy(maxAttempts);
  const caps = { unreachable: UNREACHABLE_MAX_ATTEMPTS, silent: SILENT_MAX_ATTEMPTS };
  return new UnreachableCappedRetryStrategy(inner, caps, options.onThrottledRetry);
}

/**
 * Throttling is retried up to `throttledMaxAttempts` times with capped exponential back-off and full jitter, and
 * costs no retry capacity: the SDK's standard strategy spends 5 of its 500 per throttled retry (refilled by 1 per
 * success), so a sustained throttle with many calls in flight drains it and then fails calls that one more wait would
 * have carried through. Pacing is the governor's job, not this one's. Every other error goes to the SDK's standard
 * strategy with `maxAttempts`, capacity included, as before.
 */
export class ThrottleTolerantRetryStrategy implements SdkRetryStrategy {
  private readonly standard: StandardRetryStrategy;
  private readonly throttledMaxAttempts: number;
  private readonly random: () => number;

  constructor(options: { maxAttempts: number; throttledMaxAttempts: number; random?: () => number }) {
    this.standard = new StandardRetryStrategy(options.maxAttempts);
    this.throttledMaxAttempts = options.throttledMaxAttempts;
    this.random = options.random ?? Math.random;
  }

  acquireInitialRetryToken(retryTokenScope: string): Promise<RetryToken> {
    return this.standard.acquireInitialRetryToken(retryTokenScope);
  }

  async refreshRetryTokenForRetry(token: RetryToken, errorInfo: RetryErrorInfo): Promise<RetryToken> {
    if (errorInfo.errorType !== 'THROTTLING') return this.standard.refreshRetryTokenForRetry(token as StandardToken, errorInfo);
    const retries = token.getRetryCount();
    if (retries + 1 >= this.throttledMaxAttempts) throw new Error(`No retry token available: throttled ${retries + 1} times`);
    const delay = Math.floor(this.random() * Math.min(THROTTLE_BACKOFF_CAP_MS, THROTTLE_BACKOFF_BASE_MS * 2 ** retries));
    return new ThrottledRetryToken(retries + 1, delay);
  }

  recordSuccess(token: RetryToken): void {
    this.standard.recordSuccess(token as StandardToken);
  }
}

/** The retry middleware waits getRetryDelay() (abortably) before the next attempt; no capacity was taken for it. */
class ThrottledRetryToken {
  constructor(
    private readonly retries: number,
    private readonly delay: number,
  ) {}
  getRetryCount(): number {
    return this.retries;
  }
  getRetryDelay(): number {
    return this.delay;
  }
  getRetryCost(): number | undefined {
    return undefined;
  }
}

/**
 * Delegates every decision (back-off, retry capacity, the adaptive rate limiter) to the SDK's strategy, except that it
 * refuses a retry once nothing has answered for the cap of the latest failure's kind (UNREACHABLE_MAX_ATTEMPTS or
 * SILENT_MAX_ATTEMPTS) attempts in a row. Throttling, 5xx and connection resets keep every attempt of the inner
 * strategy. Any reply in between resets the count: something is there. It also counts the throttled retries.
 */
export class UnreachableCappedRetryStrategy implements SdkRetryStrategy {
  /** attempts in a row where nothing answered that led to each token; tokens are the SDK's, so the count lives beside them */
  private readonly unansweredInARow = new WeakMap<RetryToken, number>();

  constructor(
    private readonly inner: SdkRetryStrategy,
    private readonly caps: Record<Unanswered, number> = { unreachable: UNREACHABLE_MAX_ATTEMPTS, silent: SILENT_MAX_ATTEMPTS },
    private readonly onThrottledRetry?: () => void,
  ) {}

  acquireInitialRetryToken(retryTokenScope: string): Promise<RetryToken> {
    return this.inner.acquireInitialRetryToken(retryTokenScope);
  }

  async refreshRetryTokenForRetry(token: RetryToken, errorInfo: RetryErrorInfo): Promise<RetryToken> {
    const kind = unanswered(errorInfo.error);
    const inARow = kind !== undefined ? (this.unansweredInARow.get(token) ?? 0) + 1 : 0;
    // the SDK's retry middleware rethrows the call's own error (with its attempt count) when this throws
    if (kind !== undefined && inARow >= this.caps[kind]) {
      throw new Error(`No retry token available: nothing answered ${inARow} attempts in a row`);
    }
    const next = await this.inner.refreshRetryTokenForRetry(token, errorInfo);
    this.unansweredInARow.set(next, inARow);
    if (errorInfo.errorType === 'THROTTLING') this.onThrottledRetry?.();
    return next;
  }

  recordSuccess(token: RetryToken): void {
    this.inner.recordSuccess(token);
  }
}

/** How nothing answered: no one at the address, or someone there who stays silent. */
export type Unanswered = 'unreachable' | 'silent';

export function unanswered(error: unknown): Unanswered | undefined {
  const { code, name } = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; name?: unknown };
  if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return 'unreachable';
  // the HTTP handler's own timeouts are TimeoutErrors (the reply timeout with ETIMEDOUT, as the system's connect
  // timeout is); it also renames a reset or a broken pipe TimeoutError, but those keep their code: something answered
  if (code === 'ETIMEDOUT' || (name === 'TimeoutError' && code === undefined)) return 'silent';
  return undefined;
}
