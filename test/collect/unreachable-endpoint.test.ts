import { createServer, type Server, type Socket } from 'node:net';
import { StandardRetryStrategy } from '@smithy/core/retry';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiCallEvent } from '../../src/collect/call.js';
import { collectSnapshot, type CollectOptions } from '../../src/collect/collect-snapshot.js';
import { DEFAULT_MAX_ATTEMPTS } from '../../src/collect/clients.js';
import {
  SILENT_MAX_ATTEMPTS,
  UNREACHABLE_MAX_ATTEMPTS,
  UnreachableCappedRetryStrategy,
  type SdkRetryStrategy,
} from '../../src/collect/retry-strategy.js';
import { failureOf } from './emulator-harness.js';

const ROLE = { type: 'role', arn: 'arn:aws:iam::123456789012:role/x' } as const;

/** collects from an endpoint through the real SDK clients, recording every API call the collector reports */
async function collectFailing(
  endpoint: string,
  extra: Partial<CollectOptions> = {},
): Promise<{ error: { kind: string; message: string }; calls: ApiCallEvent[] }> {
  const calls: ApiCallEvent[] = [];
  const error = await failureOf(
    collectSnapshot({
      principal: ROLE,
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'not-checked' },
      onApiCall: (e) => calls.push(e),
      ...extra,
    }),
  );
  return { error, calls };
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}
/** closes the server and whatever connections it still holds open (a silent server holds them all) */
const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.close(() => resolve());
    for (const socket of held.get(server) ?? []) socket.destroy();
  });
const held = new WeakMap<Server, Socket[]>();
/** a server that accepts connections, counts them, and never writes a byte */
function silentServer(): { server: Server; connections: () => number } {
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    sockets.push(socket);
  });
  held.set(server, sockets);
  return { server, connections: () => sockets.length };
}

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
    expect(error).toEqual({
      kind: 'aws',
      message:
        `cannot reach AWS IAM at http://127.0.0.1:${port} for iam:GetRole: connection refused ` +
        `(ECONNREFUSED, ${UNREACHABLE_MAX_ATTEMPTS} attempts); check --endpoint-url and the network`,
    });
    expect(calls).toEqual([{ action: 'iam:GetRole', attempts: UNREACHABLE_MAX_ATTEMPTS, outcome: 'error' }]);
  });

  it(`a host name that does not resolve gets ${UNREACHABLE_MAX_ATTEMPTS} attempts and says so`, async () => {
    // .invalid never resolves (RFC 2606); a resolver that cannot be asked at all says EAI_AGAIN, capped the same
    const { error, calls } = await collectFailing('https://iam.leastpriv-test.invalid');
    expect(error.message).toMatch(
      new RegExp(
        '^cannot reach AWS IAM at https://iam\\.leastpriv-test\\.invalid for iam:GetRole: ' +
          `(its host name does not resolve \\(ENOTFOUND|the DNS resolver did not answer \\(EAI_AGAIN), ${UNREACHABLE_MAX_ATTEMPTS} attempts\\); ` +
          'check (--endpoint-url, --region and DNS|the network and DNS)$',
      ),
    );
    expect(calls).toEqual([{ action: 'iam:GetRole', attempts: UNREACHABLE_MAX_ATTEMPTS, outcome: 'error' }]);
  });

  it.each([
    // the headers of a reply, then nothing more: an XML type (the SDK's deserializer reads the body) or another type
    ['never answers', undefined, 'no reply within 200 ms'],
    ['sends the headers of an XML reply and then stalls', 'text/xml', 'the reply stalled for 200 ms'],
    ['sends the headers of a text/plain reply and then stalls', 'text/plain', 'the reply stalled for 200 ms'],
  ])(`an endpoint that accepts the connection and %s gets ${SILENT_MAX_ATTEMPTS} attempts of one reply timeout each, named`, async (_, type, what) => {
    const { server: silent, connections } = silentServer();
    if (type !== undefined) {
      silent.on('connection', (socket) => {
        socket.once('data', () => socket.write(`HTTP/1.1 200 OK\r\nContent-Type: ${type}\r\nContent-Length: 1000\r\n\r\n<`));
      });
    }
    servers.push(silent);
    const port = await listen(silent);

    // the default reply timeout is 10 s; the option shortens it so the suite does not wait
    const { error, calls } = await collectFailing(`http://127.0.0.1:${port}`, { networkTimeouts: { replyMs: 200 } });
    expect(error).toEqual({
      kind: 'aws',
      message:
        `cannot reach AWS IAM at http://127.0.0.1:${port} for iam:GetRole: connected, but ${what} ` +
        `(${SILENT_MAX_ATTEMPTS} attempts); check --endpoint-url, the network and any proxy or firewall in between`,
    });
    expect(calls).toEqual([{ action: 'iam:GetRole', attempts: SILENT_MAX_ATTEMPTS, outcome: 'error' }]);
    expect(connections()).toBe(SILENT_MAX_ATTEMPTS);
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
    const { error, calls } = await collectFailing(`http://127.0.0.1:${port}`, { maxAttempts: 5 });
    expect(error).toEqual({
      kind: 'aws',
      message:
        `cannot reach AWS IAM at http://127.0.0.1:${port} for iam:GetRole: the connection was reset (ECONNRESET, 5 attempts); ` +
        'check the network and any proxy or firewall in between',
    });
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

  it.each(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'])('gives up on %s after the cap', async (code) => {
    expect(await attemptsUntilRefused([network(code)])).toBe(UNREACHABLE_MAX_ATTEMPTS);
  });

  it.each([
    ['a reply timeout', timeout],
    ['a connect timeout of the system (ETIMEDOUT)', network('ETIMEDOUT')],
  ])('gives up on %s after the silent cap', async (_, failure) => {
    expect(await attemptsUntilRefused([failure])).toBe(SILENT_MAX_ATTEMPTS);
  });

  it.each([
    ['throttling', throttled],
    ['a 5xx', serverError],
    ['ECONNRESET', network('ECONNRESET')],
    ['a reset the HTTP handler names TimeoutError', failure('TRANSIENT', { name: 'TimeoutError', code: 'ECONNRESET' })],
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
