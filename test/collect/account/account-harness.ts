import type { EmulatorFixture, RunningEmulator } from '../../../emulator/index.js';
import { collectAccounts } from '../../../src/collect/account/collect-accounts.js';
import type { AccountRunEvent, AccountRunOptions, SubjectKey } from '../../../src/collect/account/types.js';
import type { Snapshot } from '../../../src/snapshot/types.js';
import { demoArn, demoFixture } from '../emulator-harness.js';

export const EVERY_KIND = { roles: true, users: true, groups: true, policies: true } as const;

/**
 * The demo account of ../emulator-harness.ts (which has a service-linked role and roles under several paths), plus
 * what else an account-wide run meets: a customer-managed policy attached to nothing.
 */
export function accountFixture(): EmulatorFixture {
  const fixture = demoFixture();
  fixture.policies = [
    ...(fixture.policies ?? []),
    { name: 'unused-leftover', createDate: '2024-01-01T00:00:00Z', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sns:Publish', Resource: '*' }] } },
  ];
  return fixture;
}

export interface RunResult {
  events: AccountRunEvent[];
  collected: Map<string, Snapshot>;
  failed: Map<string, string>;
}

export const keyName = (k: Pick<SubjectKey, 'account' | 'kind' | 'name'>): string => `${k.account}/${k.kind}/${k.name}`;

/** collectAccounts through the real SDK against the emulator, with short polls; every event kept in order */
export async function runAgainst(
  emulator: RunningEmulator,
  options: Partial<AccountRunOptions> & { accessKeyId?: string } = {},
): Promise<RunResult> {
  const { accessKeyId, ...rest } = options;
  const events: AccountRunEvent[] = [];
  await collectAccounts({
    selection: EVERY_KIND,
    endpoint: emulator.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: accessKeyId ?? 'AKIDDEMO', secretAccessKey: 'not-checked' },
    pollIntervalMs: 10,
    ...rest,
    onEvent: async (event) => {
      events.push(event);
      await rest.onEvent?.(event);
    },
  });
  const collected = new Map<string, Snapshot>();
  const failed = new Map<string, string>();
  for (const e of events) {
    if (e.kind === 'collected') collected.set(keyName(e.key), e.snapshot);
    if (e.kind === 'failed') failed.set(keyName(e.key), e.error);
  }
  return { events, collected, failed };
}

/** a snapshot without its report job's id: the one field two collections of the same subject cannot share */
export function withoutJobId(s: Snapshot): unknown {
  const { JobId: _id, ...report } = s.report as Snapshot['report'] & { JobId?: string };
  return { ...s, report };
}

export { demoArn };
