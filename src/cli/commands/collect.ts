import { usageError } from '../../errors.js';
import type { CliHooks } from '../hooks.js';
import { namesAccountRun } from './batch-options.js';
import { COLLECT_ALL_HELP, runCollectAll } from './collect-all.js';
import { EXIT, type CliIo, type ExitCode } from '../exit.js';
import { COMMON_OPTIONS, parseCommandArgs } from '../options.js';
import { collectForCli, collectOptionsFromFlags, LIVE_OPTIONS, LIVE_OPTIONS_HELP, snapshotJson, snapshotOutTarget } from './live-options.js';
import { preflightOutputs } from '../../output/preflight.js';
import { writeSnapshotFile } from '../../output/write.js';
import type { Snapshot } from '../../snapshot/types.js';
import { counted } from '../../text.js';

export const COLLECT_HELP = `Usage: leastpriv collect --role-arn ARN [--snapshot-out FILE] [options]
       leastpriv collect --policy-arn ARN [--snapshot-out FILE] [options]
       leastpriv collect --scp-id p-… [--snapshot-out FILE] [options]
       leastpriv collect --entity-path o-…/r-…[/ou-…][/account-id] [--snapshot-out FILE] [options]

Reads a principal, every policy that applies to it, its permissions boundary and its ACTION_LEVEL last-accessed
report from AWS (read-only calls: docs/required-permissions.json) and writes the snapshot that
'leastpriv recommend --snapshot FILE' reads. With --policy-arn it reads a managed policy instead: its default
version, its versions, the roles, users and groups it is attached to (a group with its members) and the policy's
report. With --scp-id or --entity-path it reads an organization (management-account or delegated-administrator
credentials): the SCP or entity, the member accounts it concerns with their join dates, and the Organizations
access report. Without --snapshot-out (or with --snapshot-out -) the snapshot goes to stdout.

Options:
${LIVE_OPTIONS_HELP}  --debug                print a stack trace with errors
  -h, --help             this help
`;

export async function runCollect(argv: readonly string[], io: CliIo, hooks: CliHooks = {}): Promise<ExitCode> {
  // --all-* (or --snapshot-dir, which only an account-wide run writes): ./collect-all.ts
  if (namesAccountRun(argv)) return runCollectAll(argv, io, hooks);
  const { values } = parseCommandArgs(argv, { ...COMMON_OPTIONS, ...LIVE_OPTIONS }, 'collect');
  if (values.help === true) {
    io.stdout(COLLECT_HELP + COLLECT_ALL_HELP);
    return EXIT.ok;
  }
  if (values['snapshot-out'] === '') throw usageError('collect: --snapshot-out needs a file name');
  const collectOptions = collectOptionsFromFlags(values, 'collect');
  const out = snapshotOutTarget(values['snapshot-out']);
  if (out.kind === 'file') await preflightOutputs({ snapshotOut: out.path });
  const snapshot = await collectForCli(collectOptions, io);
  if (out.kind === 'file') {
    await writeSnapshotFile(out.path, snapshotJson(snapshot));
    io.stderr(`${collectedLine(snapshot, out.path)}\n`);
  } else {
    io.stdout(snapshotJson(snapshot));
  }
  return EXIT.ok;
}

/** what `collect --snapshot-out` says on stderr once the file is written */
export function collectedLine(snapshot: Snapshot, file: string): string {
  const { subject, report } = snapshot;
  const what = collectedWhat(subject);
  const rows = report.Kind === 'service-last-accessed' ? report.ServicesLastAccessed.length : report.AccessDetails.length;
  return `collected ${what}, ${counted(rows, 'service')} in the report; wrote ${file}`;
}

function collectedWhat(subject: Snapshot['subject']): string {
  switch (subject.Kind) {
    case 'principal':
      return `${subject.principal.Arn}: ${counted(subject.policies.length, 'policy', 'policies')}`;
    case 'managed-policy':
      return `${subject.policy.PolicyArn}: attached to ${counted(subject.attachedEntities.length, 'entity', 'entities')}`;
    case 'scp':
      return `SCP ${subject.policy.Name} (${subject.policy.Id}): attached to ${counted(subject.targets.length, 'target')}, applies to ${counted(subject.accounts.length, 'member account')}`;
    case 'organization-entity':
      return `${subject.entity.Path}: ${counted(subject.accounts.length, 'member account')} below, ${counted(subject.attachedPolicies.length, 'SCP')} attached`;
  }
}
