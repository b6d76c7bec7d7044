import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startEmulator, type EmulatorFixture, type EmulatorOptions, type RunningEmulator } from '../../emulator/index.js';
import type { ApiCallEvent } from '../../src/collect/call.js';
import { collectSnapshot, type CollectOptions } from '../../src/collect/collect-snapshot.js';
import type { SubjectSelector } from '../../src/collect/subject-ref.js';
import type { ServiceReport, Snapshot } from '../../src/snapshot/types.js';

export const DEMO_FIXTURE_PATH = fileURLToPath(new URL('../../policies-examples/demo-account/fixture.json', import.meta.url));
export const DEMO_ACCOUNT = '111122223333';
export const demoArn = (kind: 'role' | 'user' | 'group' | 'policy', pathAndName: string): string =>
  `arn:aws:iam::${DEMO_ACCOUNT}:${kind}/${pathAndName}`;

const allow = (action: string) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });
const inline = (...actions: string[]) => actions.map((a, i) => ({ name: `inline-${i + 1}`, document: allow(a) }));
const ATTACH_THREE = [
  demoArn('policy', 'shared-reporting-read'),
  'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
  demoArn('policy', 'pipelines/data-pipeline-access'),
];

/**
 * The demo account, plus: a caller whose key is denied GetPolicyVersion (the AccessDenied cases); a role `wide`
 * (whose boundary is one of its attached policies), a user `wide-user` in two groups, and a group `ops`, each with several inline and attached policies, so that
 * every list has more than one page at page size 1.
 */
export function demoFixture(): EmulatorFixture {
  const fixture = JSON.parse(readFileSync(DEMO_FIXTURE_PATH, 'utf8')) as EmulatorFixture;
  fixture.callers = [
    ...(fixture.callers ?? []),
    { accessKeyId: 'AKIDNOVERSIONS', arn: demoArn('user', 'half-auditor'), denied: ['iam:GetPolicyVersion'] },
  ];
  fixture.roles = [
    ...(fixture.roles ?? []),
    {
      name: 'wide',
      inlinePolicies: inline('s3:GetBucketTagging', 'ec2:DescribeRegions', 'sqs:ListQueues'),
      attachedPolicies: ATTACH_THREE,
      // also its boundary: a managed policy with a PermissionsBoundaryUsageCount to collect
      permissionsBoundaryArn: ATTACH_THREE[0],
    },
  ];
  fixture.groups = [...(fixture.groups ?? []), { name: 'ops', inlinePolicies: inline('ec2:RebootInstances', 'lambda:GetFunction'), attachedPolicies: ATTACH_THREE.slice(1) }];
  fixture.users = [
    ...(fixture.users ?? []),
    { name: 'wide-user', groups: ['analysts', 'ops'], inlinePolicies: inline('iam:ListRoles', 's3:ListAllMyBuckets'), attachedPolicies: ATTACH_THREE.slice(0, 2) },
  ];
  fixture.usage = {
    ...fixture.usage,
    [demoArn('role', 'wide')]: [{ service: 'ec2', action: 'DescribeRegions', time: '2026-10-30T08:00:00Z' }],
    [demoArn('user', 'wide-user')]: [
      { service: 'ec2', action: 'RebootInstances', time: '2026-10-29T08:00:00Z' },
      { service: 'lambda', action: 'GetFunction', time: '2026-10-28T08:00:00Z' },
    ],
  };
  return fixture;
}

/** fast jobs: the suite waits on them */
export function startDemo(options: Omit<EmulatorOptions, 'fixture'> = {}): Promise<RunningEmulator> {
  return startEmulator({ fixture: demoFixture(), ...options, faults: { jobCompletionMs: 60, ...options.faults } });
}

/** collectSnapshot through the real SDK against the emulator, with short polls: a principal or a managed policy */
export function collectFrom(
  emulator: RunningEmulator,
  subject: SubjectSelector,
  extra: Partial<CollectOptions> & { accessKeyId?: string } = {},
): Promise<Snapshot> {
  const { accessKeyId, ...rest } = extra;
  return collectSnapshot({
    subject,
    endpoint: emulator.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: accessKeyId ?? 'AKIDDEMO', secretAccessKey: 'not-checked' },
    pollIntervalMs: 10,
    ...rest,
  });
}

/** counts each action's calls into `counts` (an onApiCall observer) */
export const callCounter =
  (counts: Map<string, number>) =>
  (e: ApiCallEvent): void => {
    counts.set(e.action, (counts.get(e.action) ?? 0) + 1);
  };

/** what must not change between emulators: everything but the job's ID and completion time (they depend on the run) */
export function snapshotContent(s: Snapshot): Omit<Snapshot, 'report'> & { report: Omit<Snapshot['report'], 'JobId' | 'JobCompletionDate'> } {
  const { JobId: _id, JobCompletionDate: _done, ...report } = s.report;
  return { ...s, report };
}

export async function failureOf(promise: Promise<unknown>): Promise<{ kind: string; message: string }> {
  try {
    await promise;
  } catch (e) {
    const err = e as { kind?: string; message: string };
    return { kind: err.kind ?? 'not a LeastprivError', message: err.message };
  }
  throw new Error('expected a failure');
}

/** the snapshot's report as an IAM service last-accessed report (the principal and managed-policy subjects') */
export function serviceReport(s: Snapshot): ServiceReport {
  if (s.report.Kind !== 'service-last-accessed') throw new Error(`expected a service-last-accessed report, not ${s.report.Kind}`);
  return s.report;
}
