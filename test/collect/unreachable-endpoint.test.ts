import { createServer, type Server } from 'node:net';
import { StandardRetryStrategy } from '@smithy/core/retry';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiCallEvent } from '../../src/collect/call.js';
import { collectSnapshot } from '../../src/collect/collect-snapshot.js';
import { DEFAULT_MAX_ATTEMPTS } from '../../src/collect/clients.js';
import {
  UNREACHABLE_MAX_ATTEMPTS,
  UnreachableCappedRetryStrategy,
  type SdkRetryStrategy,
} from '../../src/collect/retry-strategy.js';
import { failureOf } from './emulator-harness.js';

const ROLE = { type: 'role', arn: 'arn:aws:iam::123456789012:role/x' } as const;
const unreachable = (code: string) => `cannot reach AWS for iam:GetRole (${code}): check --endpoint-url, --region and the network`;

/** collects from an endpoint through the real SDK clients, recording every API call the collector reports */
async function collectFailing(
  endpoint: string,
  maxAttempts?: number,
): Promise<{ error: { kind: string; message: string }; calls: ApiCallEvent[] }> {
  const calls: ApiCallEvent[] = [];
  const error = await failureOf(
    collectSnapshot({
      principal: ROLE,
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'not-checked' },
      ...(maxAttempts !== undefined ? { maxAttempts } : {}),
      onApiCall: (e) => calls.push(e),
    }),
  );
  return { error, calls };
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}
const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

describe('an endpoint where nothing answers', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map(close));
  });

  it(`fails in one line after ${UNREACHABLE_MAX_ATTEMPTS} attempts, not ${DEFAULT_MAX_ATTEMPTS}, when the connection is refused`, async () => {
    // a port that was free a moment ago: nothing listens on it
    const probe = createServer();
    const port = await listen(probe);
    await close(probe);

    const { error, calls } = await collectFailing(`http://127.0.0.1:${port}`);
    expect(error).toEqual({ kind: 'aws', message: unreachable('ECONNREFUSED') });
    expect(calls).toEqual([{ action: 'iam:GetRole', attempts: UNREACHABLE_MAX_ATTEMPTS, outcome: 'error' }]);
  });

  it('still retries a connection that is accepted then reset, every attempt allowed', async () => {
    let connections = 0;
    const resetting = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    servers.push(resetting);
    const port = await listen(resetting);

    // 5 rather than the default 12 keeps the back-off short; still more than the unreachable cap
    const { error, calls } = await collectFailing(`http://127.0.0.1:${port}`, 5);
    expect(error).toEqual({ kind: 'aws', message: unreachable('ECONNRESET') });
    expect(calls).toEqual([{ action: 'iam:GetRole', attempts: 5, outcome: 'error' }]);
    expect(connections).toBe(5);
  });
});

describe('UnreachableCappedRetryStrategy', () => {
  /** the SDK's standard strategy with its back-off set to zero, so a dozen retries take no time */
  const instantStandard = (): SdkRetryStrategy =>
    new StandardRetryStrategy({
      maxAttempts: DEFAULT_MAX_ATTEMPTS,
      backoff: { computeNextBackoffDelay: () => 0, setDelayBase: () => {} },
    });

  type Failure = Parameters<SdkRetryStrategy['refreshRetryTokenForRetry']>[1];
  /** what the SDK's retry middleware hands the strategy: its error classification and the error itself */
  const failure = (errorType: Failure['errorType'], fields: { name?: string; code?: string; status?: number }): Failure => ({
    errorType,
    error: Object.assign(new Error(fields.code ?? fields.name), {
      ...(fields.name !== undefined ? { name: fields.name } : {}),
      ...(fields.code !== undefined ? { code: fields.code } : {}),
      $metadata: fields.status !== undefined ? { httpStatusCode: fields.status } : {},
    }) as Failure['error'],
  });
  const network = (code: string) => failure('TRANSIENT', { code });
  const throttled = failure('THROTTLING', { name: 'Throttling', status: 400 });
  const serverError = failure('TRANSIENT', { name: 'ServiceFailure', status: 500 });
  const timeout = failure('TRANSIENT', { name: 'TimeoutError' });

  /** drives the strategy as the SDK's retry middleware does, each attempt failing with the next failure (the last repeats) */
  async function attemptsUntilRefused(failures: Failure[]): Promise<number> {
    const strategy = new UnreachableCappedRetryStrategy(instantStandard());
    let token = await strategy.acquireInitialRetryToken('');
    for (let attempt = 1; ; attempt++) {
      const failure = failures[Math.min(attempt, failures.length) - 1]!;
      try {
        token = await strategy.refreshRetryTokenForRetry(token, failure);
      } catch {
        return attempt;
      }
    }
  }

  it.each(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH'])('gives up on %s after the cap', async (code) => {
    expect(await attemptsUntilRefused([network(code)])).toBe(UNREACHABLE_MAX_ATTEMPTS);
  });

  it.each([
    ['throttling', throttled],
    ['a 5xx', serverError],
    ['a request timeout', timeout],
    ['ECONNRESET', network('ECONNRESET')],
    ['EAI_AGAIN (a resolver hiccup)', network('EAI_AGAIN')],
  ])('keeps every attempt of the inner strategy for %s', async (_, failure) => {
    expect(await attemptsUntilRefused([failure])).toBe(DEFAULT_MAX_ATTEMPTS);
  });

  it('counts refused connections in a row only: anything else in between means something is there', async () => {
    const refused = network('ECONNREFUSED');
    const reset = network('ECONNRESET');
    const interleaved = [refused, refused, reset, refused, refused, throttled, refused, refused, reset];
    expect(await attemptsUntilRefused(interleaved)).toBe(DEFAULT_MAX_ATTEMPTS);
    expect(await attemptsUntilRefused([throttled, throttled, throttled, refused])).toBe(3 + UNREACHABLE_MAX_ATTEMPTS);
  });
});
