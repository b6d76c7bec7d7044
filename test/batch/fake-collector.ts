/**
 * A stand-in for src/collect/account's collectAccounts: it plays a script of accounts and subjects as AccountRunEvents,
 * honouring skip (asked once per planned subject) and the abort signal, and awaiting every event as the real one does.
 */
import type { AccountRunOptions, SkipReason, SubjectKey } from '../../src/collect/account/types.js';
import type { AccountCollector } from '../../src/batch/types.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import { allow, daysBefore, doc, inline, snapshot, tracked, usedService } from '../support/snapshots.js';

export type ScriptedSubject =
  | { readonly key: SubjectKey; readonly snapshot: Snapshot }
  | { readonly key: SubjectKey; readonly error: string };

export interface ScriptedAccount {
  readonly account: string;
  readonly subjects?: readonly ScriptedSubject[];
  readonly skipped?: readonly { key: SubjectKey; reason: SkipReason }[];
  /** the whole account fails (AssumeRole refused): no subject is planned */
  readonly accountError?: string;
}

export interface FakeCollector {
  readonly collect: AccountCollector;
  /** the options of every call, and the subjects it did collect (those not skipped) */
  readonly calls: AccountRunOptions[];
  readonly collected: SubjectKey[];
}

/** `afterEach(key)` runs once a subject's event was handled (a test aborts there) */
export function fakeCollector(accounts: readonly ScriptedAccount[], hooks: { afterEach?: (key: SubjectKey) => void; throttledRetries?: number } = {}): FakeCollector {
  const calls: AccountRunOptions[] = [];
  const collected: SubjectKey[] = [];
  const collect: AccountCollector = async (options) => {
    calls.push(options);
    for (let i = 0; i < (hooks.throttledRetries ?? 0); i++) options.onThrottledRetry?.();
    for (const a of accounts) {
      if (options.signal?.aborted) return;
      if (a.accountError !== undefined) {
        await options.onEvent({ kind: 'account-failed', account: a.account, error: a.accountError });
        continue;
      }
      const subjects = a.subjects ?? [];
      await options.onEvent({ kind: 'planned', account: a.account, subjects: subjects.map((s) => s.key), skipped: a.skipped ?? [] });
      for (const s of subjects) {
        if (options.signal?.aborted) return;
        if (!('error' in s) && options.skip?.(s.key, s.snapshot.subject) === true) continue;
        collected.push(s.key);
        options.onProgress?.({ kind: 'report-wait-started', arn: s.key.arn, jobId: s.key.arn });
        options.onProgress?.({ kind: 'report-wait-ended', arn: s.key.arn, jobId: s.key.arn });
        await options.onEvent('error' in s ? { kind: 'failed', key: s.key, error: s.error } : { kind: 'collected', key: s.key, snapshot: s.snapshot });
        hooks.afterEach?.(s.key);
      }
    }
  };
  return { collect, calls, collected };
}

export const ACCOUNT_A = '111122223333';
export const ACCOUNT_B = '444455556666';

export function key(kind: SubjectKey['kind'], name: string, account = ACCOUNT_A): SubjectKey {
  return { account, kind, name, arn: `arn:aws:iam::${account}:${kind}/${name}` };
}

/**
 * A role (or user) snapshot named `name` in `account`: `unused` of its granted S3 actions have never been used (so
 * that many are removed), the rest were used yesterday.
 */
export function principalSnapshot(k: SubjectKey, unused: number): Snapshot {
  const used = ['ListBucket'];
  const never = ['CreateBucket', 'DeleteBucket', 'PutObject', 'GetObject'].slice(0, unused);
  const type = k.kind === 'user' ? 'user' : k.kind === 'group' ? 'group' : 'role';
  const s = snapshot({
    type,
    policies: [inline('p', doc(allow([...used, ...never].map((a) => `s3:${a}`))))],
    services: [usedService('s3', daysBefore(1), [...used.map((a) => tracked(a, daysBefore(1))), ...never.map((a) => tracked(a))])],
  });
  if (s.subject.Kind !== 'principal') throw new Error('a principal snapshot');
  return { ...s, subject: { ...s.subject, principal: { ...s.subject.principal, Name: k.name, Arn: k.arn } } };
}

export const subject = (k: SubjectKey, unused: number): ScriptedSubject => ({ key: k, snapshot: principalSnapshot(k, unused) });
