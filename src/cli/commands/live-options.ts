import { collectSnapshot, type CollectOptions } from '../../collect/collect-snapshot.js';
import { isPrincipalName } from '../../collect/principal-ref.js';
import { parseOrganizationEntitySelector, parseScpSelector, type SubjectSelector } from '../../collect/subject-ref.js';
import { looksLikeArn, parseIamArn, parsePrincipalArn } from '../../snapshot/arn.js';
import { isLeastprivError, usageError } from '../../errors.js';
import type { PrincipalType, Snapshot } from '../../snapshot/types.js';
import type { CliIo } from '../exit.js';
import { COMMON_OPTIONS, looksLikeFlag, type ParsedValues } from '../options.js';
import { progressLine } from '../progress.js';
import { warningLines } from '../warnings.js';

/**
 * The flags that name what to collect (a principal, a managed policy, an SCP or an organization entity); any of them
 * turns `recommend` into collect-then-recommend.
 */
export const SUBJECT_FLAGS = {
  'role-arn': { type: 'string' },
  'role-name': { type: 'string' },
  'user-arn': { type: 'string' },
  'user-name': { type: 'string' },
  'group-arn': { type: 'string' },
  'group-name': { type: 'string' },
  'policy-arn': { type: 'string' },
  'scp-id': { type: 'string' },
  'entity-path': { type: 'string' },
} as const;

type SubjectFlag = keyof typeof SUBJECT_FLAGS;

/** `--role-arn, --role-name, …, --group-name or --policy-arn`: the subject flags, for a message */
export const SUBJECT_FLAGS_TEXT = Object.keys(SUBJECT_FLAGS)
  .map((f) => `--${f}`)
  .join(', ')
  .replace(/, (?=[^,]*$)/, ' or ');
/** the name src/cli/commands/recommend.ts imports the list by */
export const PRINCIPAL_FLAGS_TEXT = SUBJECT_FLAGS_TEXT;
/** AWS CLI conventions, plus the job timeout and where to keep the collected snapshot. */
export const LIVE_OPTIONS = {
  ...SUBJECT_FLAGS,
  profile: { type: 'string' },
  region: { type: 'string' },
  'endpoint-url': { type: 'string' },
  timeout: { type: 'string' },
  'snapshot-out': { type: 'string' },
} as const;

export const LIVE_OPTIONS_HELP = `  --role-arn ARN         the role to collect; or --role-name NAME (in the credentials' account),
                         --user-arn ARN, --user-name NAME, --group-arn ARN, --group-name NAME: exactly one
  --policy-arn ARN       instead, a managed policy (customer- or AWS-managed): the roles, users and
                         groups it is attached to and its last-accessed report
  --scp-id p-…           instead, a service control policy: its targets, the member accounts it applies
                         to and the Organizations access report at the root for it
  --entity-path PATH     instead, a root, OU or account: o-…/r-…[/ou-…]…[/account-id], the accounts
                         below it, the SCPs attached to it and its Organizations access report
                         (both need the management account's or a delegated administrator's credentials)
  --profile NAME         named profile (default: AWS_PROFILE, then the default credential chain)
  --region REGION        default: AWS_REGION or the profile's region, else us-east-1 (IAM is global)
  --endpoint-url URL     send IAM, STS and Organizations calls to URL (default: AWS_ENDPOINT_URL, else AWS)
  --timeout DURATION     wait for the report at most this long: 600, 90s, 10m  default 10m
  --snapshot-out FILE    also write the collected snapshot to FILE (atomically; replaces only a
                         leastpriv snapshot); - prints it on standard output
`;

/**
 * Where --snapshot-out sends the snapshot: `-` is standard output, as `--snapshot -` reads standard input (a file
 * named `-` would surprise everyone who pipes); anything else is a file.
 */
export function snapshotOutTarget(value: string | undefined): { kind: 'none' } | { kind: 'stdout' } | { kind: 'file'; path: string } {
  if (value === undefined) return { kind: 'none' };
  return value === '-' ? { kind: 'stdout' } : { kind: 'file', path: value };
}

export type LiveValues = ParsedValues<typeof LIVE_OPTIONS>;

/**
 * Splits argv into the live flags (and their values) and the rest, so each part goes to its own strict parser. A live
 * flag takes the next token as its value unless that token looks like a flag (then the value is missing, and the live
 * parser says so); a value starting with a single '-' stays a value.
 */
export function splitLiveArgs(argv: readonly string[]): { live: string[]; rest: string[] } {
  const live: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string;
    const name = /^--([a-z-]+)(=.*)?$/.exec(token);
    if (name && Object.hasOwn(LIVE_OPTIONS, name[1] as string)) {
      live.push(token);
      const next = argv[i + 1];
      if (name[2] === undefined && next !== undefined && !looksLikeFlag(next, COMMON_OPTIONS)) {
        live.push(next);
        i++;
      }
    } else {
      rest.push(token);
    }
  }
  return { live, rest };
}

/** True when argv names a principal or a managed policy to collect. */
export function namesLiveSubject(argv: readonly string[]): boolean {
  return argv.some((t) => Object.keys(SUBJECT_FLAGS).some((f) => t === `--${f}` || t.startsWith(`--${f}=`)));
}

/** The collectSnapshot options the flags describe; one-line usage errors otherwise. */
export function collectOptionsFromFlags(values: LiveValues, command: string): CollectOptions & { subject: SubjectSelector } {
  const given = (Object.keys(SUBJECT_FLAGS) as SubjectFlag[]).filter((f) => values[f] !== undefined);
  if (given.length !== 1) {
    throw usageError(
      given.length === 0
        ? `${command}: name what to collect with ${SUBJECT_FLAGS_TEXT}`
        : `${command}: give only one of ${given.map((f) => `--${f}`).join(', ')}`,
    );
  }
  const flag = given[0] as SubjectFlag;
  return {
    subject: subjectFromFlag(flag, values[flag] as string),
    ...(values.profile !== undefined ? { profile: values.profile } : {}),
    ...(values.region !== undefined ? { region: values.region } : {}),
    ...(values['endpoint-url'] !== undefined ? { endpoint: parseEndpoint(values['endpoint-url']) } : {}),
    ...(values.timeout !== undefined ? { timeoutMs: parseTimeout(values.timeout) } : {}),
  };
}

function subjectFromFlag(flag: SubjectFlag, value: string): SubjectSelector {
  if (flag === 'scp-id') return asUsage(flag, () => parseScpSelector({ type: 'scp', id: value }));
  if (flag === 'entity-path') {
    asUsage(flag, () => parseOrganizationEntitySelector({ type: 'organization-entity', path: value }));
    return { type: 'organization-entity', path: value };
  }
  if (flag === 'policy-arn') {
    refuseNonPolicyArn(value);
    return { type: 'managed-policy', arn: value };
  }
  const type = flag.slice(0, flag.indexOf('-')) as PrincipalType;
  refuseMixedUpPrincipalFlag({ flag, value, type });
  return flag.endsWith('-name') ? { type, name: value } : { type, arn: value };
}

/** a malformed SCP id or entity path is the flag's usage error, found before any call */
function asUsage<T>(flag: SubjectFlag, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (isLeastprivError(error)) throw usageError(`--${flag}: ${error.message}`);
    throw error;
  }
}

/** --policy-arn takes a managed policy's ARN, checked before any call; a principal's ARN names its own flag. */
function refuseNonPolicyArn(value: string): void {
  const kind = parseIamArn(value)?.resourceType;
  if (kind === 'policy') return;
  const quoted = JSON.stringify(value);
  if (kind !== undefined) throw usageError(`--policy-arn: ${quoted} is a ${kind} ARN: use --${kind}-arn`);
  throw usageError(
    looksLikeArn(value)
      ? `--policy-arn: ${quoted} is not a managed policy ARN such as arn:aws:iam::111122223333:policy/NAME or arn:aws:iam::aws:policy/NAME`
      : `--policy-arn: ${quoted} is not an ARN: managed policies are named by ARN, arn:aws:iam::<account-id>:policy/<path><name>`,
  );
}

/**
 * An ARN given to --role-name, or a plain name to --role-arn, is the other flag's value: say which flag to use; a
 * managed policy's ARN belongs to --policy-arn.
 */
function refuseMixedUpPrincipalFlag(input: { flag: string; value: string; type: PrincipalType }): void {
  const { flag, value, type } = input;
  if (parseIamArn(value)?.resourceType === 'policy') {
    throw usageError(`--${flag}: ${JSON.stringify(value)} is a managed policy ARN: use --policy-arn`);
  }
  if (flag.endsWith('-name') && looksLikeArn(value)) {
    throw usageError(`--${flag}: ${JSON.stringify(value)} is an ARN: use --${parsePrincipalArn(value)?.resourceType ?? type}-arn`);
  }
  if (flag.endsWith('-arn') && isPrincipalName(value)) {
    throw usageError(`--${flag}: ${JSON.stringify(value)} is a name, not an ARN: use --${type}-name`);
  }
}

export function parseEndpoint(text: string): string {
  try {
    const url = new URL(text);
    if (url.protocol === 'http:' || url.protocol === 'https:') return text;
  } catch {
    // fall through to the usage error
  }
  throw usageError(`--endpoint-url: ${JSON.stringify(text)} is not an http(s) URL`);
}

/** "600" (seconds), "90s", "10m", "1h", "500ms" → milliseconds */
export function parseTimeout(text: string): number {
  const m = /^(\d+)(ms|s|m|h)?$/.exec(text.trim());
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m?.[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  const ms = Number(m?.[1]) * unit;
  if (!m || !Number.isSafeInteger(ms) || ms <= 0) {
    throw usageError(`--timeout: ${JSON.stringify(text)} is not a duration such as 600, 90s or 10m`);
  }
  return ms;
}

/**
 * collectSnapshot as both live commands run it: the SDK's warnings as one line each, the report wait as a status line
 * on a terminal (erased before the error or the result is printed).
 */
export async function collectForCli(options: CollectOptions, io: CliIo): Promise<Snapshot> {
  silenceSdkNodeVersionWarning();
  const progress = progressLine({ io });
  const warnings = warningLines(progress.print, { profileFlag: options.profile !== undefined });
  try {
    return await warnings.capture(() =>
      collectSnapshot({ ...options, logger: warnings.logger, onProgress: progress.onProgress }),
    );
  } finally {
    progress.finish();
  }
}

/**
 * The SDK warns on every run under Node 20 that its future releases will need Node 22. leastpriv pins its SDK
 * version and supports Node >= 20.19, so on the command line the warning is noise unless asked for
 * (AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=false: then it is one line); library users keep it.
 */
export function silenceSdkNodeVersionWarning(): void {
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
}

/** the names the live commands import them by */
export { snapshotJson, snapshotSubjectArn as subjectArn } from '../../snapshot/describe.js';
