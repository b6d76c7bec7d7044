/**
 * Organizations collector benchmark. `export run()` for bench/run.ts; also runnable alone
 * (`node dist/bench/collect-orgs.js`). One SCP of an organization of 500 member accounts in 50 OUs (10 under the root,
 * 4 below each), an allow-list attached to the 10 top OUs, collected against the emulator with 20 ms latency on every
 * reply and a 2 s report job: wall time and API calls. The walk down the OUs runs while AWS computes the report.
 */
import { pathToFileURL } from 'node:url';
import { startEmulator, type EmulatorFixture } from '../emulator/index.js';
import type { ApiCallEvent } from '../src/collect/call.js';
import { collectSnapshot } from '../src/collect/collect-snapshot.js';
import type { BenchLine } from './collect.js';

const TOP_OUS = 10;
const CHILD_OUS = 4;
const ACCOUNTS_PER_OU = 10;
const SERVICES = ['s3', 'ec2', 'lambda', 'dynamodb', 'sqs', 'sns', 'logs', 'cloudwatch', 'kms', 'kinesis'];
const ROOT = 'r-bn01';
const SCP = 'p-benchallow1';

/** the organization: ids derived from counters, usage spread so most services are used by some account */
export function benchOrganization(): EmulatorFixture {
  const ous: { id: string; name: string; parentId: string }[] = [];
  const accounts: { id: string; name: string; parentId: string; joinedTimestamp: string }[] = [];
  const usage: Record<string, { service: string; time: string }[]> = {};
  const ouId = (n: number) => `ou-bn01-${String(n).padStart(8, '0')}`;
  for (let t = 0; t < TOP_OUS; t++) {
    const top = ouId(t * (CHILD_OUS + 1));
    ous.push({ id: top, name: `top-${t}`, parentId: ROOT });
    for (let c = 1; c <= CHILD_OUS; c++) ous.push({ id: ouId(t * (CHILD_OUS + 1) + c), name: `top-${t}-child-${c}`, parentId: top });
  }
  ous.forEach((ou, o) => {
    for (let a = 0; a < ACCOUNTS_PER_OU; a++) {
      const n = o * ACCOUNTS_PER_OU + a;
      const id = String(200000000000 + n);
      accounts.push({ id, name: `account-${n}`, parentId: ou.id, joinedTimestamp: '2023-01-01T00:00:00Z' });
      // kinesis (the last) is never used
      usage[id] = [{ service: SERVICES[n % (SERVICES.length - 1)] as string, time: '2026-10-20T10:00:00Z' }];
    }
  });
  return {
    accountId: '100000000000',
    now: '2026-11-01T12:00:00Z',
    organization: {
      id: 'o-bench00org',
      rootId: ROOT,
      organizationalUnits: ous,
      accounts,
      policies: [
        {
          id: SCP,
          name: 'bench-allowed-services',
          content: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: SERVICES.map((s) => `${s}:*`), Resource: '*' }] },
          targets: ous.filter((o) => o.parentId === ROOT).map((o) => o.id),
        },
      ],
      usage,
    },
  };
}

export async function run(): Promise<BenchLine[]> {
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  const emulator = await startEmulator({ fixture: benchOrganization(), faults: { latencyMs: 20, jobCompletionMs: 2000 } });
  try {
    const events: ApiCallEvent[] = [];
    const started = performance.now();
    const snapshot = await collectSnapshot({
      subject: { type: 'scp', id: SCP },
      endpoint: emulator.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'not-checked' },
      onApiCall: (e) => events.push(e),
    });
    const ms = performance.now() - started;
    if (snapshot.subject.Kind !== 'scp' || snapshot.subject.accounts.length !== TOP_OUS * (CHILD_OUS + 1) * ACCOUNTS_PER_OU) {
      throw new Error('bench: the SCP subject does not hold the 500 accounts');
    }
    const byAction = new Map<string, number>();
    for (const e of events) byAction.set(e.action, (byAction.get(e.action) ?? 0) + 1);
    const org = events.filter((e) => e.action.startsWith('organizations:')).length;
    return [
      {
        name: `collect --scp-id: 500 accounts in 50 OUs, 20 ms latency, 2 s report job`,
        value: `${(ms / 1000).toFixed(2)} s wall, ${events.length} API calls (${org} Organizations, ${events.length - org} IAM: ${byAction.get('iam:GetOrganizationsAccessReport') ?? 0} report polls and pages)`,
      },
    ];
  } finally {
    await emulator.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const l of await run()) console.log(`${l.name}: ${l.value}`);
}
