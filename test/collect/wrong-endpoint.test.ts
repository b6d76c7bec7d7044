import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../emulator/index.js';
import type { ApiCallEvent } from '../../src/collect/call.js';
import { collectFrom, demoArn, failureOf, startDemo } from './emulator-harness.js';
import { principalSubject } from '../support/subject.js';

/**
 * --endpoint-url pointing at something that is not AWS IAM: a web server, a plain-HTTP port named https://. The
 * line says so, names the endpoint, and nothing is retried (a wrong address does not get better).
 */
const PAGE = '<!DOCTYPE html>\n<html><head><title>Welcome</title></head><body><h1>It works!</h1></body></html>\n';
const LAMBDA = { type: 'role', name: 'orders-lambda' } as const;

let emulator: RunningEmulator;
const servers: Server[] = [];

function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`127.0.0.1:${(server.address() as { port: number }).port}`)),
  );
}
const webPage = (status: number) => (_req: IncomingMessage, res: ServerResponse) => {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  res.end(PAGE);
};

beforeAll(async () => {
  emulator = await startDemo();
});
afterAll(async () => {
  await Promise.all([emulator.stop(), ...servers.map((s) => new Promise((resolve) => s.close(resolve)))]);
});

async function collectFailing(endpoint: string) {
  const calls: ApiCallEvent[] = [];
  const error = await failureOf(collectFrom(emulator, LAMBDA, { endpoint, onApiCall: (e) => calls.push(e) }));
  return { error, calls };
}

describe('an endpoint that is not AWS IAM', () => {
  it.each([200, 404])('a web page (HTTP %i) is named as such, in one attempt', async (status) => {
    const host = await serve(webPage(status));
    const { error, calls } = await collectFailing(`http://${host}`);
    expect(error).toEqual({
      kind: 'aws',
      message: `the endpoint http://${host} did not answer as AWS IAM does (it sent an HTML page, HTTP ${status}) for iam:GetRole: check --endpoint-url`,
    });
    expect(calls).toEqual([{ action: 'iam:GetRole', attempts: 1, outcome: 'error' }]);
  });

  it('https:// on a plain-HTTP port asks whether it is http://', async () => {
    const host = await serve(webPage(200));
    const { error, calls } = await collectFailing(`https://${host}`);
    expect(error).toEqual({
      kind: 'aws',
      message: `the endpoint https://${host} did not answer as AWS IAM does (not TLS: is it http://?) for iam:GetRole: check --endpoint-url`,
    });
    expect(calls).toEqual([{ action: 'iam:GetRole', attempts: 1, outcome: 'error' }]);
  });

  it('an XML reply labelled text/html (as some emulators send it) is still read: the body decides', async () => {
    const emulatorPort = Number(new URL(emulator.endpoint).port);
    // forwards every request to the emulator and relabels its replies
    const host = await serve((req, res) => {
      const upstream = request({ host: '127.0.0.1', port: emulatorPort, method: req.method, path: req.url, headers: req.headers }, (reply) => {
        res.writeHead(reply.statusCode ?? 500, { ...reply.headers, 'content-type': 'text/html; charset=utf-8' });
        reply.pipe(res);
      });
      req.pipe(upstream);
    });
    const snapshot = await collectFrom(emulator, LAMBDA, { endpoint: `http://${host}` });
    expect(principalSubject(snapshot).principal.Arn).toBe(demoArn('role', 'service-role/orders-lambda'));
  });
});
