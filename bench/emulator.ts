/**
 * Emulator benchmark: what a test or the demo pays for the local AWS stand-in. `export run()` for bench/run.ts; also
 * runnable alone (`node dist/bench/emulator.js`). Figures: start once the catalog is loaded, one
 * GetRole round trip through the SDK, an ACTION_LEVEL report for an allow-everything role (generate + read, job
 * completion 0), and 100 concurrent GetRole calls.
 */
import { pathToFileURL } from 'node:url';
import {
  GenerateServiceLastAccessedDetailsCommand,
  GetRoleCommand,
  GetServiceLastAccessedDetailsCommand,
  IAMClient,
} from '@aws-sdk/client-iam';
import { startEmulator, type EmulatorFixture } from '../emulator/index.js';

export interface BenchLine {
  name: string;
  value: string;
}

const ACCOUNT = '123456789012';
const FIXTURE: EmulatorFixture = {
  accountId: ACCOUNT,
  now: '2026-11-01T00:00:00Z',
  roles: [
    {
      name: 'admin',
      inlinePolicies: [{ name: 'all', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }],
    },
  ],
  usage: {
    [`arn:aws:iam::${ACCOUNT}:role/admin`]: [
      { service: 's3', action: 'CreateBucket', time: '2026-10-01T00:00:00Z' },
      { service: 'ec2', action: 'DescribeInstances', time: '2026-10-02T00:00:00Z' },
    ],
  },
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

export async function run(): Promise<BenchLine[]> {
  let emulator = await startEmulator({ fixture: FIXTURE, faults: { jobCompletionMs: 0 } });
  await emulator.stop();
  const warmStart = await timed(async () => {
    emulator = await startEmulator({ fixture: FIXTURE, faults: { jobCompletionMs: 0 } });
  });
  const iam = new IAMClient({
    endpoint: emulator.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'x' },
  });
  try {
    await iam.send(new GetRoleCommand({ RoleName: 'admin' }));
    const roundTrips: number[] = [];
    for (let i = 0; i < 200; i++) roundTrips.push(await timed(() => iam.send(new GetRoleCommand({ RoleName: 'admin' }))));
    const reports: number[] = [];
    for (let i = 0; i < 10; i++) {
      reports.push(
        await timed(async () => {
          const { JobId } = await iam.send(
            new GenerateServiceLastAccessedDetailsCommand({ Arn: `arn:aws:iam::${ACCOUNT}:role/admin`, Granularity: 'ACTION_LEVEL' }),
          );
          let marker: string | undefined;
          do {
            const page = await iam.send(new GetServiceLastAccessedDetailsCommand({ JobId, Marker: marker, MaxItems: 1000 }));
            marker = page.IsTruncated ? page.Marker : undefined;
          } while (marker);
        }),
      );
    }
    const burst = await timed(() => Promise.all(Array.from({ length: 100 }, () => iam.send(new GetRoleCommand({ RoleName: 'admin' })))));
    return [
      { name: 'emulator start (catalog already loaded)', value: `${warmStart.toFixed(1)} ms` },
      { name: 'emulator GetRole round trip via SDK', value: `${median(roundTrips).toFixed(2)} ms median of 200` },
      { name: 'emulator ACTION_LEVEL report, allow-* role (~450 services)', value: `${median(reports).toFixed(1)} ms median of 10, generate + read` },
      { name: 'emulator 100 concurrent GetRole', value: `${burst.toFixed(0)} ms` },
    ];
  } finally {
    iam.destroy();
    await emulator.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const t = performance.now();
  const lines = await run();
  for (const l of lines) console.log(`${l.name}: ${l.value}`);
  console.log(`(total ${(performance.now() - t).toFixed(0)} ms including the first catalog load)`);
}
