import type { Catalog } from '../../catalog/catalog.js';
import { usageError } from '../../errors.js';
import { EXIT, type CliIo, type ExitCode } from '../exit.js';
import { parseCommandArgs } from '../options.js';
import {
  collectForCli,
  collectOptionsFromFlags,
  LIVE_OPTIONS,
  LIVE_OPTIONS_HELP,
  namesLiveSubject,
  snapshotJson,
  snapshotOutTarget,
  splitLiveArgs,
  subjectArn,
} from './live-options.js';
import { subjectName } from '../../collect/subject-ref.js';
import { preflightOutputs } from '../../output/preflight.js';
import { writeSnapshotFile } from '../../output/write.js';
import { parseRecommendArgs, recommendFromSnapshot, RECOMMEND_HELP, runRecommend } from './recommend.js';

export const LIVE_RECOMMEND_HELP = `
Live: collect from AWS first, then recommend (same options as above, without --snapshot):
  leastpriv recommend --role-arn ARN [--out DIR] [options]
  leastpriv recommend --policy-arn ARN [--out DIR] [options]
${LIVE_OPTIONS_HELP}`;

/**
 * `recommend`: with a subject flag (--role-arn, --role-name, --user-arn, --user-name, --group-arn, --group-name,
 * --policy-arn) it collects the snapshot
 * through the SDK and hands it to exactly the offline path `recommend --snapshot` runs; otherwise it is that path.
 */
export async function recommendCommand(
  argv: readonly string[],
  io: CliIo,
  hooks: { catalog?: Catalog } = {},
): Promise<ExitCode> {
  if (!namesLiveSubject(argv)) {
    const code = await runRecommend(argv, io, hooks);
    if (argv.includes('--help') || argv.includes('-h')) io.stdout(LIVE_RECOMMEND_HELP);
    return code;
  }
  const { live, rest } = splitLiveArgs(argv);
  const args = parseRecommendArgs(rest);
  if (args.help) {
    io.stdout(RECOMMEND_HELP + LIVE_RECOMMEND_HELP);
    return EXIT.ok;
  }
  if (args.snapshotFile !== undefined) {
    throw usageError('recommend: --snapshot reads a saved snapshot; it cannot be combined with a flag naming what to collect (--role-arn, --policy-arn, …)');
  }
  const { values } = parseCommandArgs(live, LIVE_OPTIONS, 'recommend');
  const collectOptions = collectOptionsFromFlags(values, 'recommend');
  const snapshotOut = snapshotOutTarget(values['snapshot-out']);
  // without --out recommend prints its result on stdout: the snapshot there too would make both unreadable
  if (snapshotOut.kind === 'stdout' && args.options.out === undefined) {
    throw usageError('recommend: --snapshot-out - prints the snapshot on stdout, where the recommendation goes without --out: give --out DIR or a file name');
  }
  const snapshotFile = snapshotOut.kind === 'file' ? snapshotOut.path : undefined;
  await preflightOutputs({
    ...(args.options.out !== undefined ? { out: args.options.out, subjectName: subjectName(collectOptions.subject) } : {}),
    ...(snapshotFile !== undefined ? { snapshotOut: snapshotFile } : {}),
  });
  const snapshot = await collectForCli(collectOptions, io);
  if (snapshotFile !== undefined) await writeSnapshotFile(snapshotFile, snapshotJson(snapshot));
  if (snapshotOut.kind === 'stdout') io.stdout(snapshotJson(snapshot));
  // the same bytes `recommend --snapshot` would read back from --snapshot-out: one path, one result
  return recommendFromSnapshot(
    JSON.parse(snapshotJson(snapshot)) as unknown,
    { ...args.options, ...hooks, snapshotLabel: snapshotFile ?? `snapshot collected from ${subjectArn(snapshot)}` },
    // stdout holds the snapshot alone; the line naming the written folder goes beside the other status lines
    snapshotOut.kind === 'stdout' ? { ...io, stdout: io.stderr } : io,
  );
}
