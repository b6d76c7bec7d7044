import { join } from 'node:path';
import { parseAsOf, parseUnusedDays } from '../../analyze/options.js';
import { validateConfig } from '../../analyze/config.js';
import { runAccountBatch } from '../../batch/run-accounts.js';
import { replaySnapshotDir } from '../../batch/replay.js';
import { batchTotals } from '../../batch/results.js';
import type { BatchRecommendOptions, BatchResult } from '../../batch/types.js';
import { loadCatalog } from '../../catalog/load.js';
import { usageError } from '../../errors.js';
import { INDEX_FILE, preflightOutputs } from '../../output/preflight.js';
import { totalsLine } from '../../render/index-md.js';
import { toolVersion } from '../../tool-version.js';
import { batchProgress } from '../batch-progress.js';
import { EXIT, type CliIo, type ExitCode } from '../exit.js';
import type { CliHooks } from '../hooks.js';
import { withInterrupt } from '../interrupt.js';
import { COMMON_OPTIONS, parseCommandArgs } from '../options.js';
import { readJsonFile } from '../read-json.js';
import { warningLines } from '../warnings.js';
import { accountCollector } from './account-collector.js';
import { ACCOUNT_RUN_HELP, ACCOUNT_RUN_OPTIONS, accountRunFromFlags, hasAllFlag, refuseCollectingFlags } from './batch-options.js';
import { silenceSdkNodeVersionWarning } from './live-options.js';

export const RECOMMEND_ALL_HELP = `
Account-wide: every role, user, group or attached customer-managed policy, one folder each, plus index.md and
summary.json (docs/recommend.md, "Account-wide runs"):
  leastpriv recommend --all-roles [--all-users] [--all-groups] [--all-policies] --out DIR [options]
  leastpriv recommend --snapshot-dir DIR --out OUT [options]   offline, from the snapshots collect --all-* kept
${ACCOUNT_RUN_HELP}  (and --unused-days, --as-of, --config, --explain-actions, --detailed-exitcode, --debug as above)
  Exit codes: 0 every subject recommended, 1 a subject or an account failed (the rest is written),
  2 reductions recommended and nothing failed (with --detailed-exitcode), 130 interrupted (Ctrl-C).
`;

const RECOMMEND_ALL_OPTIONS = {
  ...COMMON_OPTIONS,
  ...ACCOUNT_RUN_OPTIONS,
  'unused-days': { type: 'string' },
  'as-of': { type: 'string' },
  config: { type: 'string' },
  out: { type: 'string' },
  'explain-actions': { type: 'boolean' },
  'detailed-exitcode': { type: 'boolean' },
} as const;

/**
 * `recommend --all-*` (collect every subject, recommend each as it comes) and `recommend --snapshot-dir DIR` (the same
 * from saved snapshots, offline). Both write OUT/[<account-id>/]<kind>/<name>/ per subject, then OUT/index.md and
 * OUT/summary.json, and exit 0, 1, 2 or 130 over the whole run.
 */
export async function runRecommendAll(argv: readonly string[], io: CliIo, hooks: CliHooks = {}): Promise<ExitCode> {
  const { values } = parseCommandArgs(argv, RECOMMEND_ALL_OPTIONS, 'recommend');
  if (values.help === true) {
    io.stdout(RECOMMEND_ALL_HELP.trimStart());
    return EXIT.ok;
  }
  const live = hasAllFlag(values);
  if (!live && values['snapshot-dir'] === undefined) {
    throw usageError('recommend: name what to take with --all-roles, --all-users, --all-groups or --all-policies (or replay saved snapshots with --snapshot-dir DIR)');
  }
  const collection = live ? accountRunFromFlags(values, 'recommend') : (refuseCollectingFlags(values), undefined);
  const out = values.out;
  if (out === undefined) throw usageError(`recommend: ${live ? 'an account-wide run' : '--snapshot-dir'} writes a folder per subject: give --out DIR`);
  const snapshotDir = values['snapshot-dir'];
  // before any call: a bad --out, a foreign index.md or a bad config fails in a second, not after the collection
  await preflightOutputs({ out, reports: true, ...(live && snapshotDir !== undefined ? { snapshotDir } : {}) });
  const recommend = await recommendOptions(values, hooks);
  const progress = batchProgress({ io, quiet: values.quiet === true });
  let run: BatchResult;
  try {
    if (collection === undefined) {
      run = await withInterrupt(progress.print, (signal) =>
        replaySnapshotDir({ snapshotDir: snapshotDir as string, out, recommend, signal, onEvent: progress.onEvent }),
      );
    } else {
      silenceSdkNodeVersionWarning();
      const warnings = warningLines(progress.print, { profileFlag: values.profile !== undefined });
      run = await warnings.capture(() =>
        withInterrupt(progress.print, (signal) =>
          runAccountBatch({
            collect: hooks.collectAccounts ?? accountCollector(),
            collection: { ...collection, logger: warnings.logger },
            target: { kind: 'recommend', out, options: recommend },
            ...(snapshotDir === undefined ? {} : { snapshotDir }),
            resume: values.resume === true,
            signal,
            onEvent: progress.onEvent,
            toolVersion: recommend.toolVersion,
          }),
        ),
      );
    }
  } finally {
    progress.finish();
  }
  io.stdout(`wrote ${join(out, INDEX_FILE)}: ${totalsLine(batchTotals(run.subjects, run.accounts))}\n`);
  return batchExitCode(run, values['detailed-exitcode'] === true);
}

/** the recommend options, resolved and checked once for the whole run */
async function recommendOptions(
  values: { 'unused-days'?: string; 'as-of'?: string; config?: string; 'explain-actions'?: boolean },
  hooks: CliHooks,
): Promise<BatchRecommendOptions> {
  const unusedDays = values['unused-days'] === undefined ? undefined : parseUnusedDays(values['unused-days']);
  if (values['as-of'] !== undefined) parseAsOf(values['as-of']);
  const configFile = values.config;
  const config = configFile === undefined ? undefined : await readJsonFile(configFile);
  if (config !== undefined) validateConfig(config, configFile);
  return {
    catalog: hooks.catalog ?? (await loadCatalog()),
    toolVersion: await toolVersion(),
    ...(unusedDays === undefined ? {} : { unusedDays }),
    ...(values['as-of'] === undefined ? {} : { asOf: values['as-of'] }),
    ...(config === undefined ? {} : { config, configLabel: configFile }),
    render: values['explain-actions'] === true ? { explainActions: true } : {},
  };
}

/** 130 interrupted; 1 anything failed; 2 (asked for) reductions and nothing failed; 0 otherwise */
export function batchExitCode(run: BatchResult, detailedExitcode: boolean): ExitCode {
  if (run.interrupted) return EXIT.interrupted;
  const t = batchTotals(run.subjects, run.accounts);
  if (t.failed > 0 || t.accountsFailed > 0) return EXIT.error;
  return detailedExitcode && t.reduced > 0 ? EXIT.reductions : EXIT.ok;
}
