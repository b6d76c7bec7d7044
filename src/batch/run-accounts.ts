import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { AccountRunEvent, AccountRunOptions } from '../collect/account/types.js';
import { errorLine } from '../errors.js';
import { snapshotFileOwnership } from '../output/ownership.js';
import { writeSnapshotFile } from '../output/write.js';
import { snapshotJson, snapshotSubjectArn } from '../snapshot/describe.js';
import type { Subject } from '../snapshot/types.js';
import { readJsonFile } from '../cli/read-json.js';
import { snapshotPath, subjectPath } from './layout.js';
import { writeBatchReports } from './reports.js';
import { orderAccounts, orderSubjects } from './results.js';
import { validSnapshots, type StoredSnapshot } from './snapshot-dir.js';
import { recommendSubject } from './subject.js';
import type { AccountCollector, AccountResult, BatchEvent, BatchRecommendOptions, BatchResult, SubjectKey, SubjectResult } from './types.js';

/** What a live account-wide run does with each subject: recommend it into OUT, or only keep its snapshot. */
export type BatchTarget =
  | { readonly kind: 'recommend'; readonly out: string; readonly options: BatchRecommendOptions }
  | { readonly kind: 'collect' };

export interface AccountBatchOptions {
  /** collectAccounts, or a test's fake */
  readonly collect: AccountCollector;
  /** the collector's options, less those the runner owns */
  readonly collection: Omit<AccountRunOptions, 'onEvent' | 'skip' | 'signal' | 'onProgress'>;
  readonly target: BatchTarget;
  /** keep each snapshot as DIR/[<account-id>/]<kind>/<name>.json (required with target collect) */
  readonly snapshotDir?: string;
  /** with snapshotDir: a subject whose valid snapshot is there is not collected again (and recommended from it) */
  readonly resume?: boolean;
  /** Ctrl-C: no new work; work being written finishes; the rest is interrupted */
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: BatchEvent) => void;
  readonly toolVersion: string;
}

const keyId = (key: Pick<SubjectKey, 'account' | 'kind' | 'name'>): string => `${key.account}/${key.kind}/${key.name}`;

/**
 * An account-wide run: the collector plans each account's subjects and hands over their snapshots one by one; each is
 * written (its snapshot, its folder) before the next event is taken, so a slow disk slows the collector rather than
 * piling snapshots up in memory. With target recommend, OUT/index.md and OUT/summary.json are written at the end,
 * interrupted or not. Resolves with what became of every subject; rejects only when the run as a whole could not
 * start (the collector's own error: no credentials, say).
 */
export async function runAccountBatch(options: AccountBatchOptions): Promise<BatchResult> {
  const { target, snapshotDir, signal } = options;
  const emit = options.onEvent ?? (() => {});
  const scope = options.collection.scope ?? { kind: 'current' };
  const perAccount = scope.kind !== 'current';
  const resumable = options.resume === true && snapshotDir !== undefined ? await validSnapshots(snapshotDir) : new Map<string, StoredSnapshot>();
  // a snapshot from an earlier run is reused only while its subject is what the account lists now: a policy edited,
  // added or detached since (or a role deleted and created again) means collecting again, never recommending from
  // the old documents
  const canResume = (key: SubjectKey, subject: Subject): boolean => {
    const stored = resumable.get(snapshotPath(key, perAccount));
    return stored !== undefined && stored.arn === key.arn && stored.subject === JSON.stringify(subject);
  };
  /** the resumed subjects' recommendations, started as the collector skips them and awaited before the reports */
  const resumed: Promise<void>[] = [];
  const pending = new Map<string, SubjectKey>();
  const results = new Map<string, SubjectResult>();
  /** an account's result once known; 'planned' while its subjects are being done */
  const accounts = new Map<string, AccountResult | 'planned' | 'unseen'>();
  const warned = new Set<string>();
  const onOptionWarning = (message: string): void => {
    if (warned.has(message)) return;
    warned.add(message);
    emit({ kind: 'option-warning', message });
  };
  let inFlight = 0;

  const finish = (result: SubjectResult): void => {
    pending.delete(keyId(result.key));
    results.set(keyId(result.key), result);
    emit({ kind: 'finished', result });
  };

  /** the subject's snapshot (already round-tripped through JSON, as a file would give it) into its folder */
  const consume = async (key: SubjectKey, snapshot: unknown, label: string): Promise<void> => {
    const folder = subjectPath(key, perAccount);
    if (target.kind === 'collect') return finish({ status: 'collected', key, folder });
    finish(await recommendSubject({ key, snapshot, label, out: target.out, folder, options: target.options, onOptionWarning }));
  };

  const onCollected = async (key: SubjectKey, snapshot: Parameters<typeof snapshotJson>[0]): Promise<void> => {
    const text = snapshotJson(snapshot);
    let label = `snapshot collected from ${snapshotSubjectArn(snapshot)}`;
    if (snapshotDir !== undefined) {
      const file = join(snapshotDir, snapshotPath(key, perAccount));
      try {
        await writeSnapshotFile(file, text);
      } catch (e) {
        return finish({ status: 'failed', key, folder: subjectPath(key, perAccount), error: errorLine(e) });
      }
      label = file;
    }
    // the same bytes `recommend --snapshot` would read back from the file: one path, one result
    await consume(key, JSON.parse(text) as unknown, label);
  };

  const onResumed = async (key: SubjectKey): Promise<void> => {
    const file = join(snapshotDir as string, snapshotPath(key, perAccount));
    if (target.kind === 'collect') return finish({ status: 'collected', key, folder: subjectPath(key, perAccount) });
    try {
      await consume(key, await readJsonFile(file), file);
    } catch (e) {
      finish({ status: 'failed', key, folder: subjectPath(key, perAccount), error: errorLine(e) });
    }
  };

  /**
   * A subject that failed now may have a snapshot from an earlier run in --snapshot-dir: left there, a replay of the
   * folder would recommend from it as if this run had collected it. Ours is renamed to <name>.json.stale (outside the
   * layout, so no replay reads it); the row says so.
   */
  const setAsideStale = async (key: SubjectKey): Promise<string> => {
    if (snapshotDir === undefined) return '';
    const rel = snapshotPath(key, perAccount);
    const file = join(snapshotDir, rel);
    if ((await snapshotFileOwnership(file)).kind !== 'ours' || (await snapshotFileOwnership(`${file}.stale`)).kind === 'foreign') return '';
    try {
      await rename(file, `${file}.stale`);
      return `; the snapshot of an earlier run was set aside as ${rel}.stale`;
    } catch {
      return '';
    }
  };

  const onEvent = async (event: AccountRunEvent): Promise<void> => {
    switch (event.kind) {
      case 'planned': {
        if (!accounts.has(event.account)) accounts.set(event.account, 'planned');
        for (const key of event.subjects) pending.set(keyId(key), key);
        emit({ kind: 'planned', subjects: event.subjects.length + event.skipped.length });
        for (const { key, reason } of event.skipped) finish({ status: 'skipped', key, folder: subjectPath(key, perAccount), reason });
        return;
      }
      case 'collected':
        // after Ctrl-C nothing new is started: the subject stays unfinished and is listed as interrupted
        if (signal?.aborted) return;
        return onCollected(event.key, event.snapshot);
      case 'failed':
        return finish({ status: 'failed', key: event.key, folder: subjectPath(event.key, perAccount), error: event.error + (await setAsideStale(event.key)) });
      case 'account-failed':
        accounts.set(event.account, { account: event.account, status: 'failed', error: event.error });
        emit({ kind: 'account-failed', account: event.account, error: event.error });
        return;
    }
  };

  try {
    await options.collect({
      ...options.collection,
      skip: (key, subject) => {
        if (!canResume(key, subject)) return false;
        resumed.push(onResumed(key));
        return true;
      },
      ...(signal === undefined ? {} : { signal }),
      onEvent,
      onProgress: (event) => {
        if (event.kind !== 'report-wait-started' && event.kind !== 'report-wait-ended') return;
        inFlight += event.kind === 'report-wait-started' ? 1 : -1;
        emit({ kind: 'in-flight', inFlight });
      },
      onThrottledRetry: () => emit({ kind: 'throttled-retry' }),
    });
  } catch (e) {
    // an aborted collector may reject with the abort itself: the run is interrupted, not failed
    if (!signal?.aborted) throw e;
  } finally {
    // onResumed never rejects: each failure is its subject's
    await Promise.all(resumed);
  }

  const interrupted = signal?.aborted === true;
  for (const key of pending.values()) {
    const folder = subjectPath(key, perAccount);
    const accountError = accounts.get(key.account);
    if (interrupted) results.set(keyId(key), { status: 'interrupted', key, folder });
    else {
      const error = typeof accountError === 'object' && accountError.status === 'failed' ? accountError.error : 'the collector reported no result for it';
      results.set(keyId(key), { status: 'failed', key, folder, error });
    }
  }
  // a listed account the collector never got to (Ctrl-C came first) has no event at all
  if (scope.kind === 'list') for (const id of scope.ids) if (!accounts.has(id)) accounts.set(id, 'unseen');
  const unfinished = new Set([...pending.values()].map((k) => k.account));
  const accountResults = [...accounts].map(([account, state]): AccountResult => {
    if (typeof state === 'object') return state;
    if (state === 'unseen') return interrupted ? { account, status: 'interrupted' } : { account, status: 'failed', error: 'the collector reported nothing for this account' };
    return { account, status: interrupted && unfinished.has(account) ? 'interrupted' : 'completed' };
  });
  const run: BatchResult = {
    subjects: orderSubjects([...results.values()]),
    accounts: orderAccounts(accountResults),
    perAccount,
    interrupted,
    toolVersion: options.toolVersion,
  };
  if (target.kind === 'recommend') await writeBatchReports(target.out, run);
  return run;
}
