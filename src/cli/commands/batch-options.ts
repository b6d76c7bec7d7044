import type { AccountRunOptions, AccountScope, AccountSelection } from '../../collect/account/types.js';
import { usageError } from '../../errors.js';
import type { ParsedValues } from '../options.js';
import { parseEndpoint, parseTimeout, SUBJECT_FLAGS } from './live-options.js';

/** The flags of an account-wide run that choose what to collect and how (recommend and collect share them). */
export const ACCOUNT_RUN_OPTIONS = {
  'all-roles': { type: 'boolean' },
  'all-users': { type: 'boolean' },
  'all-groups': { type: 'boolean' },
  'all-policies': { type: 'boolean' },
  'path-prefix': { type: 'string' },
  include: { type: 'string', multiple: true },
  exclude: { type: 'string', multiple: true },
  concurrency: { type: 'string' },
  accounts: { type: 'string' },
  organization: { type: 'boolean' },
  'assume-role-name': { type: 'string' },
  'external-id': { type: 'string' },
  'snapshot-dir': { type: 'string' },
  resume: { type: 'boolean' },
  quiet: { type: 'boolean' },
  profile: { type: 'string' },
  region: { type: 'string' },
  'endpoint-url': { type: 'string' },
  timeout: { type: 'string' },
  // taken only to be refused with a message saying why
  ...SUBJECT_FLAGS,
  snapshot: { type: 'string' },
  'snapshot-out': { type: 'string' },
} as const;

export type AccountRunValues = ParsedValues<typeof ACCOUNT_RUN_OPTIONS>;

const ALL_FLAGS = ['all-roles', 'all-users', 'all-groups', 'all-policies'] as const;
/** flags that only mean something while collecting: refused by the offline replay */
const COLLECTING_FLAGS = ['path-prefix', 'include', 'exclude', 'concurrency', 'accounts', 'organization', 'assume-role-name', 'external-id', 'resume', 'profile', 'region', 'endpoint-url', 'timeout'] as const;

export const ACCOUNT_RUN_HELP = `  --all-roles            every role of the account (service-linked roles are listed, skipped)
  --all-users            every user;  --all-groups  every group
  --all-policies         every customer-managed policy attached to something, as with --policy-arn
                         (at least one --all-*; they combine)
  --path-prefix P        only subjects whose IAM path starts with P (/ by default), e.g. /app/
  --include GLOB         only names matching GLOB (* and ?, case-insensitive); repeatable
  --exclude GLOB         leave out names matching GLOB; repeatable
  --concurrency N        report jobs in flight per account, 1 to 100           default 32
  --accounts ID,ID…      these accounts, each through --assume-role-name
  --organization         every ACTIVE account of the organization, each through --assume-role-name
  --assume-role-name R   the role assumed in each account: arn:aws:iam::<id>:role/R
  --external-id ID       the external id that role's trust policy asks for
  --snapshot-dir DIR     also keep each snapshot as DIR/[<account-id>/]<kind>/<name>.json
  --resume               with --snapshot-dir: a subject whose valid snapshot is already there is not
                         collected again (its folder is recommended from that file)
  --quiet                no progress on stderr
  --profile, --region, --endpoint-url, --timeout   as for one subject
`;

/** flags only an account-wide run takes: any of them makes the command one, so a misuse gets its own message */
const ACCOUNT_RUN_FLAGS = [...ALL_FLAGS, 'snapshot-dir', ...COLLECTING_FLAGS.filter((f) => !['profile', 'region', 'endpoint-url', 'timeout'].includes(f))];

/** Whether argv asks for an account-wide run (or the offline replay of one). */
export function namesAccountRun(argv: readonly string[]): boolean {
  return argv.some((t) => ACCOUNT_RUN_FLAGS.some((f) => t === `--${f}` || t.startsWith(`--${f}=`)));
}

export const hasAllFlag = (values: AccountRunValues): boolean => ALL_FLAGS.some((f) => values[f] === true);

/** The collector's options the flags describe, with their one-line usage errors; `command` names the command. */
export function accountRunFromFlags(values: AccountRunValues, command: string): Omit<AccountRunOptions, 'onEvent'> {
  refuseSingleSubjectFlags(values, command);
  if (!hasAllFlag(values)) throw usageError(`${command}: name what to take with --all-roles, --all-users, --all-groups or --all-policies`);
  if (values.resume === true && values['snapshot-dir'] === undefined) {
    throw usageError(`${command}: --resume picks up from the snapshots of an earlier run: it needs --snapshot-dir DIR`);
  }
  const selection: AccountSelection = {
    roles: values['all-roles'] === true,
    users: values['all-users'] === true,
    groups: values['all-groups'] === true,
    policies: values['all-policies'] === true,
    ...(values['path-prefix'] === undefined ? {} : { pathPrefix: pathPrefix(values['path-prefix']) }),
    ...(values.include === undefined ? {} : { include: globs('include', values.include) }),
    ...(values.exclude === undefined ? {} : { exclude: globs('exclude', values.exclude) }),
  };
  return {
    selection,
    scope: scopeFromFlags(values, command),
    ...(values['assume-role-name'] === undefined ? {} : { assumeRoleName: roleName(values['assume-role-name']) }),
    ...(values['external-id'] === undefined ? {} : { externalId: values['external-id'] }),
    ...(values.concurrency === undefined ? {} : { concurrency: concurrency(values.concurrency) }),
    ...(values.profile === undefined ? {} : { profile: values.profile }),
    ...(values.region === undefined ? {} : { region: values.region }),
    ...(values['endpoint-url'] === undefined ? {} : { endpoint: parseEndpoint(values['endpoint-url']) }),
    ...(values.timeout === undefined ? {} : { timeoutMs: parseTimeout(values.timeout) }),
  };
}

/** the replay reads saved snapshots: a flag that chooses what or how to collect would be ignored without a word */
export function refuseCollectingFlags(values: AccountRunValues): void {
  refuseSingleSubjectFlags(values, 'recommend');
  const given = COLLECTING_FLAGS.find((f) => values[f] !== undefined);
  if (given !== undefined) {
    throw usageError(`recommend: --snapshot-dir without --all-* replays saved snapshots offline, so --${given} has nothing to do: add --all-roles (…) to collect`);
  }
}

function refuseSingleSubjectFlags(values: AccountRunValues, command: string): void {
  if (values.snapshot !== undefined) {
    throw usageError(`${command}: --snapshot reads one snapshot file; --snapshot-dir a folder of them: give one of the two`);
  }
  if (values['snapshot-out'] !== undefined) throw usageError(`${command}: --snapshot-out keeps one subject's snapshot; an account-wide run keeps them with --snapshot-dir DIR`);
  const single = (Object.keys(SUBJECT_FLAGS) as (keyof typeof SUBJECT_FLAGS)[]).find((f) => values[f] !== undefined);
  if (single !== undefined) throw usageError(`${command}: --${single} names one subject, an account-wide run takes them all: give one or the other`);
}

function scopeFromFlags(values: AccountRunValues, command: string): AccountScope {
  const { accounts, organization } = values;
  const roleName = values['assume-role-name'];
  if (accounts !== undefined && organization === true) throw usageError(`${command}: --accounts lists the accounts, --organization takes them all: give one of the two`);
  if (accounts === undefined && organization !== true) {
    if (roleName !== undefined) throw usageError(`${command}: --assume-role-name is the role assumed in each of --accounts or --organization: give one of those`);
    if (values['external-id'] !== undefined) throw usageError(`${command}: --external-id goes with --assume-role-name and --accounts or --organization`);
    return { kind: 'current' };
  }
  const flag = accounts !== undefined ? '--accounts' : '--organization';
  if (roleName === undefined) throw usageError(`${command}: ${flag} reads each account through a role: give --assume-role-name NAME`);
  if (organization === true) return { kind: 'organization' };
  return { kind: 'list', ids: accountIds(accounts as string) };
}

/** "111122223333,444455556666" → the ids, each given once */
function accountIds(text: string): string[] {
  const ids = text.split(',').map((s) => s.trim());
  for (const id of ids) {
    if (!/^\d{12}$/.test(id)) throw usageError(`--accounts: ${JSON.stringify(id)} is not a 12-digit account id (give them comma-separated: 111122223333,444455556666)`);
  }
  return [...new Set(ids)];
}

/** IAM's PathPrefix: "/" alone, or a string that begins and ends with "/" (printable ASCII, at most 512) */
function pathPrefix(text: string): string {
  if (text.length <= 512 && /^\/(?:[\x21-\x7e]*\/)?$/.test(text)) return text;
  throw usageError(`--path-prefix: ${JSON.stringify(text)} is not an IAM path prefix such as / or /app/ (it begins and ends with /)`);
}

function globs(flag: string, values: readonly string[]): string[] {
  for (const v of values) if (v.trim() === '') throw usageError(`--${flag} needs a name pattern such as app-* (* and ? wildcards)`);
  return [...new Set(values)];
}

/** IAM role names: 1 to 64 of [\w+=,.@-]; a path or an ARN given by mistake is named */
function roleName(text: string): string {
  if (/^[\w+=,.@-]{1,64}$/.test(text)) return text;
  throw usageError(`--assume-role-name: ${JSON.stringify(text)} is not a role name (the name alone, without path or ARN: the role is arn:aws:iam::<id>:role/NAME)`);
}

function concurrency(text: string): number {
  const n = Number(text);
  if (/^\d+$/.test(text) && n >= 1 && n <= 100) return n;
  throw usageError(`--concurrency: ${JSON.stringify(text)} is not a whole number from 1 to 100`);
}

