import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startEmulator, type EmulatorFixture, type EmulatorOptions, type RunningEmulator } from '../../emulator/index.js';
import { collectSnapshot, type CollectOptions } from '../../src/collect/collect-snapshot.js';
import type { PrincipalSelector } from '../../src/collect/principal-ref.js';
import type { Snapshot } from '../../src/snapshot/types.js';

export const DEMO_FIXTURE_PATH = fileURLToPath(new URL('../../policies-examples/demo-account/fixture.json', import.meta.url));
export const DEMO_ACCOUNT = '111122223333';
export const demoArn = (kind: 'role' | 'user' | 'group' | 'policy', pathAndName: string): string =>
  `arn:aws:iam::${DEMO_ACCOUNT}:${kind}/${pathAndName}`;

/** the demo account, plus a caller whose key is denied some actions (the AccessDenied cases) */
export function demoFixture(): EmulatorFixture {
  const fixture = JSON.parse(readFileSync(DEMO_FIXTURE_PATH, 'utf8')) as EmulatorFixture;
  fixture.callers = [
    ...(fixture.callers ?? []),
    { accessKeyId: 'AKIDNOVERSIONS', arn: demoArn('user', 'half-auditor'), denied: ['iam:GetPolicyVersion'] },
  ];
  return fixture;
}

/** fast jobs: the suite waits on them */
export function startDemo(options: Omit<EmulatorOptions, 'fixture'> = {}): Promise<RunningEmulator> {
  return startEmulator({ fixture: demoFixture(), ...options, faults: { jobCompletionMs: 60, ...options.faults } });
}

/** collectSnapshot through the real SDK against the emulator, with short polls */
export function collectFrom(
  emulator: RunningEmulator,
  principal: PrincipalSelector,
  extra: Partial<CollectOptions> & { accessKeyId?: string } = {},
): Promise<Snapshot> {
  const { accessKeyId, ...rest } = extra;
  return collectSnapshot({
    principal,
    endpoint: emulator.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: accessKeyId ?? 'AKIDDEMO', secretAccessKey: 'not-checked' },
    pollIntervalMs: 10,
    ...rest,
  });
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
