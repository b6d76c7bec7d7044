import { join } from 'node:path';
import { errorLine, inputError } from '../errors.js';
import { readJsonFile } from '../cli/read-json.js';
import { parseIamArn } from '../snapshot/arn.js';
import { writeBatchReports } from './reports.js';
import { orderAccounts, orderSubjects } from './results.js';
import { listSnapshotDir, type FoundSnapshot } from './snapshot-dir.js';
import { recommendSubject } from './subject.js';
import type { AccountResult, BatchEvent, BatchRecommendOptions, BatchResult, SubjectKey, SubjectResult } from './types.js';

export interface ReplayOptions {
  /** a folder collect --all-* wrote: [<account-id>/]<kind>/<name>.json */
  readonly snapshotDir: string;
  readonly out: string;
  readonly recommend: BatchRecommendOptions;
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: BatchEvent) => void;
}

/**
 * `recommend --snapshot-dir DIR --out OUT`: every snapshot of DIR recommended offline (never a call to AWS), DIR/<rel>/
 * <name>.json into OUT/<rel>/<name>/, each exactly as `recommend --snapshot` of that file would write it; then
 * OUT/index.md and OUT/summary.json. A .json file outside the layout stops the run before anything is written: its
 * folder could not be named the way the index names the others.
 */
export async function replaySnapshotDir(options: ReplayOptions): Promise<BatchResult> {
  const { snapshotDir, out, signal } = options;
  const emit = options.onEvent ?? (() => {});
  const { found, strays } = await listSnapshotDir(snapshotDir);
  const [stray] = strays;
  if (stray !== undefined) {
    throw inputError(`--snapshot-dir ${snapshotDir}: ${stray} is not in the layout collect --all-* writes ([<account-id>/]<kind>/<name>.json, kind role, user, group or policy): move it away`);
  }
  if (found.length === 0) throw inputError(`--snapshot-dir ${snapshotDir} holds no snapshots ([<account-id>/]<kind>/<name>.json)`);
  emit({ kind: 'planned', subjects: found.length });
  const warned = new Set<string>();
  const results: SubjectResult[] = [];
  for (const f of found) {
    const file = join(snapshotDir, f.rel);
    const folder = f.rel.slice(0, -'.json'.length);
    let result: SubjectResult;
    if (signal?.aborted) result = { status: 'interrupted', key: keyOf(f, undefined), folder };
    else {
      let json: unknown;
      try {
        json = await readJsonFile(file);
      } catch (e) {
        json = undefined;
        result = { status: 'failed', key: keyOf(f, undefined), folder, error: errorLine(e) };
      }
      result ??= await recommendSubject({
        key: keyOf(f, json),
        snapshot: json,
        label: file,
        out,
        folder,
        options: options.recommend,
        onOptionWarning: (message) => {
          if (!warned.has(message)) emit({ kind: 'option-warning', message });
          warned.add(message);
        },
      });
    }
    results.push(result);
    emit({ kind: 'finished', result });
  }
  const accounts = [...new Set(found.flatMap((f) => (f.account === undefined ? [] : [f.account])))].map((account): AccountResult => ({
    account,
    status: signal?.aborted && results.some((r) => r.status === 'interrupted' && r.key.account === account) ? 'interrupted' : 'completed',
  }));
  const run: BatchResult = {
    subjects: orderSubjects(results),
    accounts: orderAccounts(accounts),
    perAccount: found.some((f) => f.account !== undefined),
    interrupted: signal?.aborted === true,
    toolVersion: options.recommend.toolVersion,
  };
  await writeBatchReports(out, run);
  return run;
}

/** the subject a file is about: its place in the layout, the account and ARN from the snapshot when it names them */
function keyOf(f: FoundSnapshot, json: unknown): SubjectKey {
  const arn = subjectArnOf(json);
  const account = f.account ?? (arn === undefined ? undefined : parseIamArn(arn)?.account) ?? '';
  return { account, kind: f.kind, name: f.name, arn: arn ?? '' };
}

/** the ARN a snapshot names, read loosely: the snapshot is validated by the recommendation, not here */
function subjectArnOf(json: unknown): string | undefined {
  const subject = isObject(json) && isObject(json['subject']) ? json['subject'] : undefined;
  const principal = subject !== undefined && isObject(subject['principal']) ? subject['principal']['Arn'] : undefined;
  const policy = subject !== undefined && isObject(subject['policy']) ? subject['policy']['PolicyArn'] : undefined;
  const arn = principal ?? policy;
  return typeof arn === 'string' ? arn : undefined;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
