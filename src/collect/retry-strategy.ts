import type { IAMClientConfig } from '@aws-sdk/client-iam';
import { AdaptiveRetryStrategy, StandardRetryStrategy } from '@smithy/core/retry';
import { UNREACHABLE_CODES } from './aws-errors.js';

/** The SDK's RetryStrategyV2 (the token-based one), named through the client config to need no @smithy/types import */
export type SdkRetryStrategy = Extract<NonNullable<IAMClientConfig['retryStrategy']>, { acquireInitialRetryToken: unknown }>;
type RetryToken = Awaited<ReturnType<SdkRetryStrategy['acquireInitialRetryToken']>>;
type RetryErrorInfo = Parameters<SdkRetryStrategy['refreshRetryTokenForRetry']>[1];

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
 * refuses a retry once nothing has answered for the cap of the latest failure's kind (UNREACHABLE_MAX_ATTEMPTS or
 * SILENT_MAX_ATTEMPTS) attempts in a row. Throttling, 5xx and connection resets keep every attempt of the inner
 * strategy. Any reply in between resets the count: something is there.
 */
export class UnreachableCappedRetryStrategy implements SdkRetryStrategy {
  /** attempts in a row where nothing answered that led to each token; tokens are the SDK's, so the count lives beside them */
  private readonly unansweredInARow = new WeakMap<RetryToken, number>();

  constructor(
    private readonly inner: SdkRetryStrategy,
    private readonly caps: Record<Unanswered, number> = { unreachable: UNREACHABLE_MAX_ATTEMPTS, silent: SILENT_MAX_ATTEMPTS },
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
