import {
  GetUserCommand,
  GetUserPolicyCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupsForUserCommand,
  ListUserPoliciesCommand,
} from '@aws-sdk/client-iam';
import { awsCall, type CollectContext } from './call.js';
import { MAX_ITEMS, paginate } from './paginate.js';
import {
  readAttachedPolicies,
  readInlinePolicies,
  snapshotPrincipal,
  type Owner,
  type PrincipalSource,
} from './principal-source.js';

/** A user: GetUser, ListUserPolicies + GetUserPolicy, ListAttachedUserPolicies (its groups: userGroups). */
export const userSource: PrincipalSource = {
  async get(ctx, { name: UserName, arn }, notFound) {
    const { User } = await awsCall(ctx, { action: 'iam:GetUser', resource: arn ?? `user ${UserName}`, notFound }, (c, o) =>
      c.iam.send(new GetUserCommand({ UserName }), o),
    );
    return snapshotPrincipal({
      Type: 'user',
      Arn: User?.Arn,
      Name: User?.UserName,
      Path: User?.Path,
      CreateDate: User?.CreateDate,
      Id: User?.UserId,
      Tags: User?.Tags,
      PermissionsBoundaryArn: User?.PermissionsBoundary?.PermissionsBoundaryArn,
    });
  },

  inlinePolicies: (ctx, owner) =>
    readInlinePolicies(ctx, owner, {
      listAction: 'iam:ListUserPolicies',
      list: (Marker, c, o) =>
        c.iam.send(new ListUserPoliciesCommand({ UserName: owner.Name, Marker, MaxItems: MAX_ITEMS }), o),
      getAction: 'iam:GetUserPolicy',
      get: (PolicyName) => (c, o) => c.iam.send(new GetUserPolicyCommand({ UserName: owner.Name, PolicyName }), o),
    }),

  attachedPolicies: (ctx, owner) =>
    readAttachedPolicies(ctx, owner, {
      action: 'iam:ListAttachedUserPolicies',
      list: (Marker, c, o) =>
        c.iam.send(new ListAttachedUserPoliciesCommand({ UserName: owner.Name, Marker, MaxItems: MAX_ITEMS }), o),
    }),
};

/** ListGroupsForUser: the groups whose policies also apply to the user. */
export async function userGroups(ctx: CollectContext, user: Owner): Promise<Owner[]> {
  const groups = await paginate(
    ctx,
    { action: 'iam:ListGroupsForUser', resource: user.Arn },
    (Marker, c, o) => c.iam.send(new ListGroupsForUserCommand({ UserName: user.Name, Marker, MaxItems: MAX_ITEMS }), o),
    'Groups',
  );
  return groups.map((g) => ({ Name: g.GroupName ?? '', Arn: g.Arn ?? '' }));
}
