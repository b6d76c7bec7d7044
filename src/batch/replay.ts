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
  const onOptionWarning = (message: string): void => {
    if (!warned.has(message)) emit({ kind: 'option-warning', message });
    warned.add(message);
  };
  const results: SubjectResult[] = [];
  await forEachInTurn(found, WRITES_IN_FLIGHT, async (f) => {
    const result = signal?.aborted ? { status: 'interrupted' as const, key: keyOf(f, undefined), folder: folderOf(f) } : await replayOne(f, { ...options, onOptionWarning });
    results.push(result);
    emit({ kind: 'finished', result });
  });
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

/**
 * Subjects in hand at once: recommending is CPU work and writing a folder is a dozen file-system calls, so while one
 * folder is being written the next is being recommended. More buys nothing on two cores and holds more in memory.
 */
const WRITES_IN_FLIGHT = 4;

const folderOf = (f: FoundSnapshot): string => f.rel.slice(0, -'.json'.length);

/** one file: read, recommend, write its folder; whatever fails is this subject's row */
async function replayOne(f: FoundSnapshot, options: ReplayOptions & { onOptionWarning: (message: string) => void }): Promise<SubjectResult> {
  const file = join(options.snapshotDir, f.rel);
  let json: unknown;
  try {
    json = await readJsonFile(file);
  } catch (e) {
    return { status: 'failed', key: keyOf(f, undefined), folder: folderOf(f), error: errorLine(e) };
  }
  const misplaced = misplacedSnapshot(f, subjectArnOf(json));
  if (misplaced !== undefined) return { status: 'failed', key: keyOf(f, json), folder: folderOf(f), error: `${file}: ${misplaced}` };
  return recommendSubject({ key: keyOf(f, json), snapshot: json, label: file, out: options.out, folder: folderOf(f), options: options.recommend, onOptionWarning: options.onOptionWarning });
}

/**
 * The index row and the folder are named from the file's place in the layout, the recommendation from its content:
 * they must be about the same subject, or the reviewer reads one role's name over another's apply commands.
 */
function misplacedSnapshot(f: FoundSnapshot, arn: string | undefined): string | undefined {
  // without an ARN the snapshot does not validate: the recommendation says why
  if (arn === undefined) return undefined;
  const parsed = parseIamArn(arn);
  const kind = f.kind === 'policy' ? 'policy' : f.kind;
  const here = `${f.kind}/${f.name}${f.account !== undefined ? ` of account ${f.account}` : ''}`;
  if (parsed === undefined || parsed.resourceType !== kind || parsed.name !== f.name || (f.account !== undefined && parsed.account !== f.account)) {
    return `the snapshot is about ${arn}, not ${here} as its place in the folder says (move it to its own place)`;
  }
  return undefined;
}

/** `work` for each item in order, at most `limit` at a time */
async function forEachInTurn<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
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
