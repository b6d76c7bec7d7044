import type { CliHooks } from '../hooks.js';
import { namesAccountRun } from './batch-options.js';
import { RECOMMEND_ALL_HELP, runRecommendAll } from './recommend-all.js';
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
  leastpriv recommend --scp-id p-… [--out DIR] [options]
  leastpriv recommend --entity-path o-…/r-…[/ou-…][/account-id] [--exempt-principal-arn PATTERN]… [--out DIR]
${LIVE_OPTIONS_HELP}  --exempt-principal-arn PATTERN
                         with --entity-path: principals the guardrail never denies (ArnNotLike
                         aws:PrincipalArn; * and ? wildcards), e.g. a break-glass role; repeatable
`;

const EXEMPT_FLAG = '--exempt-principal-arn';

/**
 * Takes every --exempt-principal-arn (repeatable, so outside the single-valued parser) out of argv. A pattern is an
 * IAM or STS ARN, wildcards allowed, as aws:PrincipalArn compares it.
 */
export function takeExemptPrincipals(argv: readonly string[]): { exempt: string[]; rest: string[] } {
  const exempt: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string;
    let value: string | undefined;
    if (token === EXEMPT_FLAG) {
      value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw usageError(`${EXEMPT_FLAG} needs an ARN pattern`);
      i++;
    } else if (token.startsWith(`${EXEMPT_FLAG}=`)) {
      value = token.slice(EXEMPT_FLAG.length + 1);
    } else {
      rest.push(token);
      continue;
    }
    if (!/^arn:(aws|aws-cn|aws-us-gov|\*):(iam|sts|\*)::([0-9]{12}|\*|[0-9*?]{1,12}):[\x21-\x7e]+$/.test(value)) {
      throw usageError(
        `${EXEMPT_FLAG}: ${JSON.stringify(value)} is not a principal ARN pattern such as arn:aws:iam::*:role/break-glass`,
      );
    }
    exempt.push(value);
  }
  return { exempt, rest };
}

/**
 * `recommend`: with --all-* or --snapshot-dir an account-wide run (./recommend-all.ts). With a subject flag (--role-arn, --role-name, --user-arn, --user-name, --group-arn, --group-name,
 * --policy-arn, --scp-id, --entity-path) it collects the snapshot
 * through the SDK and hands it to exactly the offline path `recommend --snapshot` runs; otherwise it is that path.
 */
export async function recommendCommand(
  argv: readonly string[],
  io: CliIo,
  hooks: CliHooks = {},
): Promise<ExitCode> {
  if (namesAccountRun(argv)) return runRecommendAll(argv, io, hooks);
  if (!namesLiveSubject(argv)) {
    const code = await runRecommend(argv, io, hooks);
    if (argv.includes('--help') || argv.includes('-h')) io.stdout(LIVE_RECOMMEND_HELP + RECOMMEND_ALL_HELP);
    return code;
  }
  const taken = takeExemptPrincipals(argv);
  const { live, rest } = splitLiveArgs(taken.rest);
  const args = parseRecommendArgs(rest);
  if (args.help) {
    io.stdout(RECOMMEND_HELP + LIVE_RECOMMEND_HELP + RECOMMEND_ALL_HELP);
    return EXIT.ok;
  }
  if (args.snapshotFile !== undefined) {
    throw usageError('recommend: --snapshot reads a saved snapshot; it cannot be combined with a flag naming what to collect (--role-arn, --policy-arn, …)');
  }
  const { values } = parseCommandArgs(live, LIVE_OPTIONS, 'recommend');
  const collectOptions = collectOptionsFromFlags(values, 'recommend');
  if (taken.exempt.length > 0 && collectOptions.subject.type !== 'organization-entity') {
    throw usageError(`recommend: ${EXEMPT_FLAG} exempts principals from a guardrail: it goes with --entity-path`);
  }
  const snapshotOut = snapshotOutTarget(values['snapshot-out']);
  // without --out recommend prints its result on stdout: the snapshot there too would make both unreadable
  if (snapshotOut.kind === 'stdout' && args.options.out === undefined) {
    throw usageError('recommend: --snapshot-out - prints the snapshot on stdout, where the recommendation goes without --out: give --out DIR or a file name');
  }
  const snapshotFile = snapshotOut.kind === 'file' ? snapshotOut.path : undefined;
  await preflightOutputs({
    // an SCP's folder is named after its name, unknown before the calls: then only --out itself is checked
    ...(args.options.out !== undefined
      ? { out: args.options.out, ...(collectOptions.subject.type !== 'scp' ? { subjectName: subjectName(collectOptions.subject) } : {}) }
      : {}),
    ...(snapshotFile !== undefined ? { snapshotOut: snapshotFile } : {}),
  });
  const snapshot = await collectForCli(collectOptions, io);
  if (snapshotFile !== undefined) await writeSnapshotFile(snapshotFile, snapshotJson(snapshot));
  if (snapshotOut.kind === 'stdout') io.stdout(snapshotJson(snapshot));
  // the same bytes `recommend --snapshot` would read back from --snapshot-out: one path, one result
  const options = {
    ...args.options,
    ...hooks,
    snapshotLabel: snapshotFile ?? `snapshot collected from ${subjectArn(snapshot)}`,
    ...(taken.exempt.length > 0 ? { exemptPrincipalArns: taken.exempt } : {}),
  };
  return recommendFromSnapshot(
    JSON.parse(snapshotJson(snapshot)) as unknown,
    options,
    // stdout holds the snapshot alone; the line naming the written folder goes beside the other status lines
    snapshotOut.kind === 'stdout' ? { ...io, stdout: io.stderr } : io,
  );
}
