import { globToRegExp } from '../../policy/glob.js';
import { parseIamArn } from '../../snapshot/arn.js';
import { byCodePoint } from '../policy-subject.js';
import type { AuthorizationDetails } from './authorization-details.js';
import type { AccountSelection, AccountSubjectKind, SkipReason, SubjectKey } from './types.js';

/** What an account's run takes, in the order its report jobs start; the skipped ones are listed, never collected. */
export interface AccountPlan {
  subjects: SubjectKey[];
  skipped: { key: SubjectKey; reason: SkipReason }[];
}

/** the order of the kinds in a plan (the contract's order), then names by code point */
const KIND_ORDER: readonly AccountSubjectKind[] = ['role', 'user', 'group', 'policy'];

/** IAM puts every service-linked role under this path, and refuses edits to its policies */
const SERVICE_LINKED_PATH = '/aws-service-role/';

interface Listed {
  key: SubjectKey;
  path: string;
}

/**
 * The subjects of one account the selection takes: each kind asked for, its IAM path under `pathPrefix`, its name
 * matching an `include` glob (any, when none) and no `exclude` glob. Managed-policy subjects are the account's own
 * customer-managed policies attached to at least one role, user or group (a policy attached to nothing has no report
 * to trim it by; an AWS-managed one is trimmed as a replacement from its attachments' reports).
 */
export function planAccount(account: string, details: AuthorizationDetails, selection: AccountSelection): AccountPlan {
  const listed: Listed[] = [];
  const add = (kind: AccountSubjectKind, name: string | undefined, arn: string | undefined, path: string | undefined): void => {
    listed.push({ key: { account, kind, name: name ?? '', arn: arn ?? '' }, path: path ?? '/' });
  };
  if (selection.roles) for (const r of details.roles) add('role', r.RoleName, r.Arn, r.Path);
  if (selection.users) for (const u of details.users) add('user', u.UserName, u.Arn, u.Path);
  if (selection.groups) for (const g of details.groups) add('group', g.GroupName, g.Arn, g.Path);
  if (selection.policies) {
    for (const p of details.policies) {
      const own = p.Arn !== undefined && parseIamArn(p.Arn)?.account === account;
      if (own && (p.AttachmentCount ?? 0) > 0) add('policy', p.PolicyName, p.Arn, p.Path);
    }
  }
  const taken = listed.filter(matcher(selection)).sort(
    (a, b) => KIND_ORDER.indexOf(a.key.kind) - KIND_ORDER.indexOf(b.key.kind) || byCodePoint(a.key.name, b.key.name),
  );
  const plan: AccountPlan = { subjects: [], skipped: [] };
  for (const { key, path } of taken) {
    if (key.kind === 'role' && path.startsWith(SERVICE_LINKED_PATH)) plan.skipped.push({ key, reason: 'service-linked-role' });
    else plan.subjects.push(key);
  }
  return plan;
}

function matcher(selection: AccountSelection): (listed: Listed) => boolean {
  const prefix = selection.pathPrefix ?? '/';
  const include = (selection.include ?? []).map(globToRegExp);
  const exclude = (selection.exclude ?? []).map(globToRegExp);
  return ({ key, path }) =>
    path.startsWith(prefix) &&
    (include.length === 0 || include.some((glob) => glob.test(key.name))) &&
    !exclude.some((glob) => glob.test(key.name));
}
