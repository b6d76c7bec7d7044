import { getSmithyContext } from '@smithy/core/client';
import { isThrottlingError } from '@smithy/core/retry';
import { apiFamily, type AwsService } from './api-family.js';
import type { RateGovernor } from './governor.js';

/**
 * Where governAttempts goes: inside the retry middleware (so it sees every attempt, retries included) and before the
 * signing one (so an attempt is signed when it leaves, not when it started waiting for its turn).
 */
export const GOVERN_ATTEMPTS = {
  relation: 'before',
  toMiddleware: 'httpSigningMiddleware',
  name: 'leastprivRateGovernor',
} as const;

type Handler<A, R> = (args: A) => Promise<R>;

interface CommandContext {
  commandName?: string;
}

/**
 * A middleware (GOVERN_ATTEMPTS) that takes a turn from the governor before each attempt, in the lane of the
 * operation's API family, and tells it how the attempt ended. The abort signal given to `client.send` also ends the
 * wait for a turn.
 */
export function governAttempts(governor: RateGovernor, service: AwsService) {
  return <A, R>(next: Handler<A, R>, context: CommandContext): Handler<A, R> =>
    async (args) => {
      const operation = (context.commandName ?? '').replace(/Command$/, '');
      const { abortSignal } = getSmithyContext(context as never) as { abortSignal?: AbortSignal };
      const permit = await governor.acquire(apiFamily(service, operation), abortSignal);
      try {
        const result = await next(args);
        permit.done('ok');
        return result;
      } catch (error) {
        permit.done(typeof error === 'object' && error !== null && isThrottlingError(error as never) ? 'throttled' : 'failed');
        throw error;
      }
    };
}
