import { runAccountBatch } from '../../batch/run-accounts.js';
import { batchTotals } from '../../batch/results.js';
import { usageError } from '../../errors.js';
import { preflightOutputs } from '../../output/preflight.js';
import { toolVersion } from '../../tool-version.js';
import { counted, num } from '../../text.js';
import { batchProgress } from '../batch-progress.js';
import { EXIT, type CliIo, type ExitCode } from '../exit.js';
import type { CliHooks } from '../hooks.js';
import { withInterrupt } from '../interrupt.js';
import { COMMON_OPTIONS, parseCommandArgs } from '../options.js';
import { warningLines } from '../warnings.js';
import { accountCollector } from './account-collector.js';
import { ACCOUNT_RUN_HELP, ACCOUNT_RUN_OPTIONS, accountRunFromFlags } from './batch-options.js';
import { silenceSdkNodeVersionWarning } from './live-options.js';

export const COLLECT_ALL_HELP = `
Account-wide: one snapshot per subject, DIR/[<account-id>/]<kind>/<name>.json, written as each completes
(docs/collect.md, "Account-wide runs"); 'leastpriv recommend --snapshot-dir DIR --out OUT' recommends them offline:
  leastpriv collect --all-roles [--all-users] [--all-groups] [--all-policies] --snapshot-dir DIR [--resume] [options]
${ACCOUNT_RUN_HELP}  Exit codes: 0 every subject collected, 1 a subject or an account failed, 130 interrupted (Ctrl-C).
`;

/** `collect --all-*`: every subject's snapshot into --snapshot-dir, nothing recommended. */
export async function runCollectAll(argv: readonly string[], io: CliIo, hooks: CliHooks = {}): Promise<ExitCode> {
  const { values } = parseCommandArgs(argv, { ...COMMON_OPTIONS, ...ACCOUNT_RUN_OPTIONS }, 'collect');
  if (values.help === true) {
    io.stdout(COLLECT_ALL_HELP.trimStart());
    return EXIT.ok;
  }
  const collection = accountRunFromFlags(values, 'collect');
  const snapshotDir = values['snapshot-dir'];
  if (snapshotDir === undefined) throw usageError('collect: an account-wide run writes a snapshot per subject: give --snapshot-dir DIR');
  await preflightOutputs({ snapshotDir });
  silenceSdkNodeVersionWarning();
  const progress = batchProgress({ io, quiet: values.quiet === true });
  const warnings = warningLines(progress.print, { profileFlag: values.profile !== undefined });
  const version = await toolVersion();
  const run = await warnings
    .capture(() =>
      withInterrupt(progress.print, (signal) =>
        runAccountBatch({
          collect: hooks.collectAccounts ?? accountCollector(),
          collection: { ...collection, logger: warnings.logger },
          target: { kind: 'collect' },
          snapshotDir,
          resume: values.resume === true,
          signal,
          onEvent: progress.onEvent,
          toolVersion: version,
        }),
      ),
    )
    .finally(progress.finish);
  const t = batchTotals(run.subjects, run.accounts);
  const accounts = t.accountsFailed > 0 ? `; ${counted(t.accountsFailed, 'account')} failed` : '';
  const interrupted = t.interrupted > 0 ? `, ${num(t.interrupted)} interrupted` : '';
  io.stdout(`collected into ${snapshotDir}: ${counted(t.subjects, 'subject')}: ${num(t.collected)} collected, ${num(t.failed)} failed, ${num(t.skipped)} skipped${interrupted}${accounts}\n`);
  if (run.interrupted) return EXIT.interrupted;
  return t.failed > 0 || t.accountsFailed > 0 ? EXIT.error : EXIT.ok;
}
