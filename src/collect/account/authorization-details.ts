import {
  GetAccountAuthorizationDetailsCommand,
  type EntityType,
  type GroupDetail,
  type ManagedPolicyDetail,
  type RoleDetail,
  type UserDetail,
} from '@aws-sdk/client-iam';
import type { CollectContext } from '../call.js';
import { followMarkers, MAX_ITEMS } from '../paginate.js';
import type { AccountSelection } from './types.js';

/** Every page of GetAccountAuthorizationDetails, its four lists concatenated in API order. */
export interface AuthorizationDetails {
  roles: RoleDetail[];
  users: UserDetail[];
  groups: GroupDetail[];
  /** customer-managed policies, and the AWS-managed ones attached to something (AWS lists no others) */
  policies: ManagedPolicyDetail[];
}

/**
 * The kinds the selection needs, and no more: policy documents make most of the reply's bytes.
 * - a role, user or group subject: its own kind, and the managed policies it may attach (customer- and AWS-managed);
 * - a user subject also needs its groups (their policies apply to it);
 * - a policy subject: the customer-managed policies, and every principal kind (who the policy is attached to, and a
 *   group's members).
 */
export function filterFor(selection: AccountSelection): EntityType[] {
  const kinds = new Set<EntityType>();
  if (selection.roles) kinds.add('Role');
  if (selection.users) kinds.add('User').add('Group');
  if (selection.groups) kinds.add('Group');
  if (selection.roles || selection.users || selection.groups) kinds.add('LocalManagedPolicy').add('AWSManagedPolicy');
  if (selection.policies) kinds.add('LocalManagedPolicy').add('Role').add('User').add('Group');
  // IAM's own order of the filter values, so that the request is the same whatever the flags' order
  return (['User', 'Role', 'Group', 'LocalManagedPolicy', 'AWSManagedPolicy'] as const).filter((k) => kinds.has(k));
}

/** GetAccountAuthorizationDetails (MaxItems 1000, every Marker page) for the given kinds of the account. */
export async function readAuthorizationDetails(ctx: CollectContext, account: string, Filter: EntityType[]): Promise<AuthorizationDetails> {
  const pages = await followMarkers(
    ctx,
    { action: 'iam:GetAccountAuthorizationDetails', resource: `account ${account}` },
    (Marker, c, o) => c.iam.send(new GetAccountAuthorizationDetailsCommand({ Filter, MaxItems: MAX_ITEMS, Marker }), o),
  );
  return {
    roles: pages.flatMap((p) => p.RoleDetailList ?? []),
    users: pages.flatMap((p) => p.UserDetailList ?? []),
    groups: pages.flatMap((p) => p.GroupDetailList ?? []),
    policies: pages.flatMap((p) => p.Policies ?? []),
  };
}
