/**
 * Throttling benchmark: the same collections under the three retry modes (the SDK's adaptive and standard, and
 * leastpriv's governed one). `export run()` for bench/run.ts; also runnable alone (`node dist/bench/throttle.js`).
 * - The reported case: one role whose report lists 40 services, read one item per page, with 40% of all replies
 *   throttled at random (20 ms latency): wall time and attempts. The three modes run side by side.
 * - IAM's own kind of throttling: a token bucket per account and API family (20 requests/s, burst 20, 20 ms latency),
 *   100 roles collected concurrently on shared clients: wall time against the floor the bucket sets (each family's
 *   calls beyond the burst ÷ its rate), throttled replies, failed collections.
 */
import { pathToFileURL } from 'node:url';
import { startEmulator, type EmulatorFixture, type EmulatorOptions, type FaultOptions } from '../emulator/index.js';
import type { ApiCallEvent } from '../src/collect/call.js';
import { createAwsClients, destroyAwsClients, type AwsClients } from '../src/collect/clients.js';
import { collectSnapshot } from '../src/collect/collect-snapshot.js';
import { apiFamily, type ApiFamily } from '../src/collect/rate/api-family.js';
import type { RetryMode } from '../src/collect/retry-strategy.js';
import { demoFixture } from '../scripts/demo.js';
import type { BenchLine } from './collect.js';

const ALL_MODES: readonly RetryMode[] = ['adaptive', 'standard', 'governed'];
/** THROTTLE_BENCH_MODES=governed,standard runs only those */
const MODES = ALL_MODES.filter((m) => (process.env['THROTTLE_BENCH_MODES'] ?? m).split(',').includes(m));
const LATENCY_MS = 20;

/** 40 services the catalog knows: the report of a role allowed all of them lists 40 rows */
const SERVICES = [
  'acm', 'apigateway', 'athena', 'autoscaling', 'backup', 'cloudformation', 'cloudfront', 'cloudwatch', 'codebuild',
  'codecommit', 'codedeploy', 'codepipeline', 'cognito-idp', 'dynamodb', 'ec2', 'ecr', 'ecs', 'eks', 'elasticache',
  'elasticloadbalancing', 'es', 'events', 'firehose', 'glue', 'iam', 'kinesis', 'kms', 'lambda', 'logs', 'rds',
  'redshift', 'route53', 'sagemaker', 'secretsmanager', 'sns', 'sqs', 's3', 'ssm', 'states', 'sts',
];

const ROLES = 100;

interface Measured {
  ms: number;
  /** calls that ended (ok or not), by API family */
  calls: Map<ApiFamily, number>;
  attempts: number;
  throttled: number;
  throttledRetries: number;
  failures: number;
  /** the first failure's message, if any */
  failure?: string;
}

async function measure(
  emulatorOptions: EmulatorOptions,
  mode: RetryMode,
  collectAll: (clients: AwsClients, onApiCall: (e: ApiCallEvent) => void) => Promise<PromiseSettledResult<unknown>[]>,
): Promise<Measured> {
  const emulator = await startEmulator(emulatorOptions);
  let throttledRetries = 0;
  const clients = await createAwsClients({
    endpoint: emulator.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'not-checked' },
    retryMode: mode,
    onThrottledRetry: () => throttledRetries++,
  });
  const calls = new Map<ApiFamily, number>();
  let attempts = 0;
  const onApiCall = (e: ApiCallEvent): void => {
    const [service = '', operation = ''] = e.action.split(':');
    const family = apiFamily(service as 'iam' | 'sts' | 'organizations', operation);
    calls.set(family, (calls.get(family) ?? 0) + 1);
    attempts += e.attempts;
  };
  try {
    const started = performance.now();
    const results = await collectAll(clients, onApiCall);
    const ms = performance.now() - started;
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    const first = failed[0]?.reason as Error | undefined;
    return {
      ms,
      calls,
      attempts,
      throttled: emulator.stats().throttled,
      throttledRetries,
      failures: failed.length,
      ...(first !== undefined ? { failure: first.message } : {}),
    };
  } finally {
    destroyAwsClients(clients);
    await emulator.stop();
  }
}

const total = (calls: Map<ApiFamily, number>): number => [...calls.values()].reduce((a, b) => a + b, 0);
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

async function reportedCase(fixture: EmulatorFixture): Promise<BenchLine[]> {
  const role = {
    name: 'forty-services',
    inlinePolicies: [
      { name: 'wide', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: SERVICES.map((s) => `${s}:*`), Resource: '*' }] } },
    ],
  };
  const faults: FaultOptions = { throttleRate: 0.4, latencyMs: LATENCY_MS, jobCompletionMs: 100 };
  const options: EmulatorOptions = {
    fixture: { ...fixture, roles: [...(fixture.roles ?? []), role] },
    faults,
    pageSize: { GetServiceLastAccessedDetails: 1 },
  };
  // the three legs run side by side (each its own emulator): they mostly sleep, and the SDK's adaptive one alone
  // takes ~1.5 min
  const measured = await Promise.all(
    MODES.map((mode) =>
      measure(options, mode, (clients, onApiCall) =>
        Promise.allSettled([collectSnapshot({ principal: { type: 'role', name: role.name }, clients, pollIntervalMs: 100, onApiCall })]),
      ),
    ),
  );
  const lines: BenchLine[] = [];
  for (const [i, mode] of MODES.entries()) {
    const m = measured[i] as Measured;
    lines.push({
      name: `one role, 40-service report in 1-item pages, 40% throttled, ${LATENCY_MS} ms latency: ${mode}`,
      value:
        `${seconds(m.ms)} wall; ${total(m.calls)} calls, ${m.attempts} attempts (${m.throttled} throttled)` +
        (m.failures > 0 ? `; FAILED: ${m.failure}` : ''),
    });
  }
  return lines;
}

function withRoles(fixture: EmulatorFixture): EmulatorFixture {
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
    roles.map((r) => [`arn:aws:iam::${fixture.accountId}:role/${r.name}`, [{ service: 's3', action: 'GetObject', time: '2026-10-20T10:00:00Z' }]]),
  );
  return { ...fixture, roles: [...(fixture.roles ?? []), ...roles], usage: { ...fixture.usage, ...usage } };
}

async function tokenBucket(fixture: EmulatorFixture): Promise<BenchLine[]> {
  const bucket = { ratePerSecond: 20, burst: 20 };
  const options: EmulatorOptions = {
    fixture: withRoles(fixture),
    faults: { tokenBucket: bucket, latencyMs: LATENCY_MS, jobCompletionMs: 300 },
  };
  const lines: BenchLine[] = [];
  for (const mode of MODES) {
    const m = await measure(options, mode, (clients, onApiCall) =>
      Promise.allSettled(
        Array.from({ length: ROLES }, (_, i) =>
          collectSnapshot({ principal: { type: 'role', name: `bench-${String(i).padStart(3, '0')}` }, clients, onApiCall }),
        ),
      ),
    );
    // the bucket lets `burst` through at once, then `ratePerSecond`: no client can finish a family's calls sooner
    const floorMs = Math.max(...[...m.calls.values()].map((n) => (Math.max(0, n - bucket.burst) / bucket.ratePerSecond) * 1000));
    const byFamily = [...m.calls].map(([family, n]) => `${n} ${family}`).join(', ');
    lines.push({
      name: `${ROLES} roles at once, token bucket ${bucket.ratePerSecond}/s burst ${bucket.burst} per family, ${LATENCY_MS} ms latency: ${mode}`,
      value:
        `${seconds(m.ms)} wall vs ${seconds(floorMs)} floor (${(m.ms / floorMs).toFixed(2)}x); ${total(m.calls)} calls (${byFamily}); ` +
        `${m.throttled} throttled replies (${m.throttledRetries} retried); ${m.failures} of ${ROLES} collections failed` +
        (m.failure !== undefined ? ` (${m.failure})` : ''),
    });
  }
  return lines;
}

export async function run(): Promise<BenchLine[]> {
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  const fixture = await demoFixture();
  return [...(await reportedCase(fixture)), ...(await tokenBucket(fixture))];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const l of await run()) console.log(`${l.name}: ${l.value}`);
}
