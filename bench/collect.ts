/**
 * Collector benchmark. `export run()` for bench/run.ts; also runnable alone (`node dist/bench/collect.js`).
 * - One role (data-pipeline of the demo account: a managed policy, a permissions boundary) against the emulator with
 *   50 ms latency on every reply and a 2 s job: wall time and API calls, against the ideal "one job completion plus a
 *   few round trips".
 * - 100 roles collected concurrently on shared clients vs one after another, as a ratio, in one run (10 ms latency,
 *   100 ms jobs, 100 ms first poll, so the sequential leg stays around half a minute).
 */
import { pathToFileURL } from 'node:url';
import { startEmulator, type EmulatorFixture, type FaultOptions } from '../emulator/index.js';
import type { ApiCallEvent } from '../src/collect/call.js';
import { createAwsClients, destroyAwsClients, type AwsClients } from '../src/collect/clients.js';
import { collectSnapshot, type CollectOptions } from '../src/collect/collect-snapshot.js';
import { demoFixture } from '../scripts/demo.js';

export interface BenchLine {
  name: string;
  value: string;
}

const ROLES = 100;

/** the demo account plus ROLES generated roles, each with an inline policy, the shared policy and some usage */
function withManyRoles(fixture: EmulatorFixture): EmulatorFixture {
  const roles = Array.from({ length: ROLES }, (_, i) => ({
    name: `bench-${String(i).padStart(3, '0')}`,
    inlinePolicies: [
      {
        name: 'work',
        document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:*', 'sqs:*', 'ec2:Describe*'], Resource: '*' }] },
      },
    ],
    attachedPolicies: [`arn:aws:iam::${fixture.accountId}:policy/shared-reporting-read`],
  }));
  const usage = Object.fromEntries(
    roles.map((r) => [
      `arn:aws:iam::${fixture.accountId}:role/${r.name}`,
      [
        { service: 's3', action: 'GetObject', time: '2026-10-20T10:00:00Z' },
        { service: 'ec2', action: 'DescribeInstances', time: '2026-10-21T10:00:00Z' },
      ],
    ]),
  );
  return { ...fixture, roles: [...(fixture.roles ?? []), ...roles], usage: { ...fixture.usage, ...usage } };
}

async function withEmulator<T>(
  fixture: EmulatorFixture,
  faults: FaultOptions,
  body: (clients: AwsClients, endpoint: string) => Promise<T>,
): Promise<T> {
  const emulator = await startEmulator({ fixture, faults });
  const clients = await createAwsClients({
    endpoint: emulator.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'not-checked' },
  });
  try {
    return await body(clients, emulator.endpoint);
  } finally {
    destroyAwsClients(clients);
    await emulator.stop();
  }
}

async function timed(f: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await f();
  return performance.now() - t;
}

const ONE_ROLE_RUNS = 3;

async function oneRole(fixture: EmulatorFixture): Promise<BenchLine[]> {
  const latencyMs = 50;
  const jobMs = 2000;
  return withEmulator(fixture, { latencyMs, jobCompletionMs: jobMs }, async (clients) => {
    const arn = `arn:aws:iam::${fixture.accountId}:role/pipelines/data-pipeline`;
    const runs: { ms: number; events: ApiCallEvent[] }[] = [];
    for (let i = 0; i < ONE_ROLE_RUNS; i++) {
      const events: ApiCallEvent[] = [];
      const ms = await timed(() => collectSnapshot({ principal: { type: 'role', arn }, clients, onApiCall: (e) => events.push(e) }));
      runs.push({ ms, events });
    }
    // the median run by wall time: the poll jitter moves the last poll by a few hundred ms
    const { ms, events } = [...runs].sort((a, b) => a.ms - b.ms)[Math.floor(ONE_ROLE_RUNS / 2)] as (typeof runs)[number];
    const polls = events.filter((e) => e.action === 'iam:GetServiceLastAccessedDetails').length;
    const roundTrips = (ms - jobMs) / latencyMs;
    const range = runs.map((r) => (r.ms / 1000).toFixed(2)).join('/');
    return [
      {
        name: `collect one role (${latencyMs} ms latency, ${jobMs / 1000} s job)`,
        value:
          `${(ms / 1000).toFixed(2)} s wall (median of ${range} s) = job + ${roundTrips.toFixed(1)} round trips; ` +
          `${events.length} API calls (${polls} GetServiceLastAccessedDetails polls/pages, ${events.length - polls} others)`,
      },
    ];
  });
}

async function manyRoles(fixture: EmulatorFixture): Promise<BenchLine[]> {
  const big = withManyRoles(fixture);
  return withEmulator(big, { latencyMs: 10, jobCompletionMs: 100 }, async (clients) => {
    let calls = 0;
    const options = (i: number): CollectOptions => ({
      principal: { type: 'role', name: `bench-${String(i).padStart(3, '0')}` },
      clients,
      pollIntervalMs: 100,
      onApiCall: () => calls++,
    });
    const indexes = Array.from({ length: ROLES }, (_, i) => i);
    const sequential = await timed(async () => {
      for (const i of indexes) await collectSnapshot(options(i));
    });
    const sequentialCalls = calls;
    calls = 0;
    const concurrent = await timed(() => Promise.all(indexes.map((i) => collectSnapshot(options(i)))));
    return [
      {
        name: `collect ${ROLES} roles, concurrent vs sequential (10 ms latency, 0.1 s jobs, shared clients)`,
        value:
          `${(concurrent / 1000).toFixed(2)} s vs ${(sequential / 1000).toFixed(1)} s: ${(sequential / concurrent).toFixed(1)}x faster; ` +
          `${calls} vs ${sequentialCalls} API calls`,
      },
    ];
  });
}

export async function run(): Promise<BenchLine[]> {
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  const fixture = await demoFixture();
  return [...(await oneRole(fixture)), ...(await manyRoles(fixture))];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const l of await run()) console.log(`${l.name}: ${l.value}`);
}
