import { usageError } from '../../errors.js';
import { EXIT, type CliIo, type ExitCode } from '../exit.js';
import { COMMON_OPTIONS, parseCommandArgs } from '../options.js';
import { collectForCli, collectOptionsFromFlags, LIVE_OPTIONS, LIVE_OPTIONS_HELP, snapshotJson } from './live-options.js';
import { writeFileAtomically } from '../write-files.js';

export const COLLECT_HELP = `Usage: leastpriv collect --role-arn ARN [--snapshot-out FILE] [options]

Reads a principal, every policy that applies to it, its permissions boundary and its ACTION_LEVEL last-accessed
report from AWS (read-only calls: docs/required-permissions.json) and writes the snapshot that
'leastpriv recommend --snapshot FILE' reads. Without --snapshot-out the snapshot goes to stdout.

Options:
${LIVE_OPTIONS_HELP}  --debug                print a stack trace with errors
  -h, --help             this help
`;

export async function runCollect(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values } = parseCommandArgs(argv, { ...COMMON_OPTIONS, ...LIVE_OPTIONS }, 'collect');
  if (values.help === true) {
    io.stdout(COLLECT_HELP);
    return EXIT.ok;
  }
  if (values['snapshot-out'] === '') throw usageError('collect: --snapshot-out needs a file name');
  const snapshot = await collectForCli(collectOptionsFromFlags(values, 'collect'), io);
  const out = values['snapshot-out'];
  if (out === undefined) {
    io.stdout(snapshotJson(snapshot));
  } else {
    await writeFileAtomically(out, snapshotJson(snapshot));
    io.stderr(`collected ${snapshot.principal.Arn}: ${snapshot.policies.length} ${snapshot.policies.length === 1 ? 'policy' : 'policies'}, ${snapshot.lastAccessed.ServicesLastAccessed.length} services in the report; wrote ${out}\n`);
  }
  return EXIT.ok;
}
