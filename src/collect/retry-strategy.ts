import type { IAMClientConfig } from '@aws-sdk/client-iam';
import { AdaptiveRetryStrategy, StandardRetryStrategy } from '@smithy/core/retry';
import { UNREACHABLE_CODES } from './aws-errors.js';

/** The SDK's RetryStrategyV2 (the token-based one), named through the client config to need no @smithy/types import */
export type SdkRetryStrategy = Extract<NonNullable<IAMClientConfig['retryStrategy']>, { acquireInitialRetryToken: unknown }>;
type RetryToken = Awaited<ReturnType<SdkRetryStrategy['acquireInitialRetryToken']>>;
type RetryErrorInfo = Parameters<SdkRetryStrategy['refreshRetryTokenForRetry']>[1];

/**
 * Attempts a call makes while nothing answers at the endpoint (connection refused, no such host, no route). The SDK
 * counts these as transient and would retry them as often as throttling (~25 s of back-off on a mistyped
 * --endpoint-url); three attempts in a row are enough to tell a blip from an address where nothing listens.
 */
export const UNREACHABLE_MAX_ATTEMPTS = 3;

export interface RetryStrategyOptions {
  maxAttempts: number;
  retryMode: 'adaptive' | 'standard';
}

/** The SDK's own adaptive or standard strategy (as the client would build it), with unreachable endpoints capped. */
export function createRetryStrategy(options: RetryStrategyOptions): SdkRetryStrategy {
  const { maxAttempts, retryMode } = options;
  const inner = retryMode === 'adaptive' ? new AdaptiveRetryStrategy(maxAttempts) : new StandardRetryStrategy(maxAttempts);
  return new UnreachableCappedRetryStrategy(inner);
}

/**
 * Delegates every decision (back-off, retry capacity, the adaptive rate limiter) to the SDK's strategy, except that it
 * refuses a retry once `cap` attempts in a row found nothing at the endpoint. Throttling, 5xx, timeouts and
 * connection resets keep every attempt of the inner strategy. Any reply in between resets the count: something is there.
 */
export class UnreachableCappedRetryStrategy implements SdkRetryStrategy {
  /** unreachable attempts in a row that led to each token; tokens are the SDK's, so the count lives beside them */
  private readonly unreachableInARow = new WeakMap<RetryToken, number>();

  constructor(
    private readonly inner: SdkRetryStrategy,
    private readonly cap: number = UNREACHABLE_MAX_ATTEMPTS,
  ) {}

  acquireInitialRetryToken(retryTokenScope: string): Promise<RetryToken> {
    return this.inner.acquireInitialRetryToken(retryTokenScope);
  }

  async refreshRetryTokenForRetry(token: RetryToken, errorInfo: RetryErrorInfo): Promise<RetryToken> {
    const inARow = isUnreachable(errorInfo.error) ? (this.unreachableInARow.get(token) ?? 0) + 1 : 0;
    // the SDK's retry middleware rethrows the call's own error (with its attempt count) when this throws
    if (inARow >= this.cap) throw new Error(`No retry token available: nothing answered ${inARow} attempts in a row`);
    const next = await this.inner.refreshRetryTokenForRetry(token, errorInfo);
    this.unreachableInARow.set(next, inARow);
    return next;
  }

  recordSuccess(token: RetryToken): void {
    this.inner.recordSuccess(token);
  }
}

function isUnreachable(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && UNREACHABLE_CODES.has(code);
}
