import {
  GetGroupCommand,
  GetGroupPolicyCommand,
  ListAttachedGroupPoliciesCommand,
  ListGroupPoliciesCommand,
  type Group,
} from '@aws-sdk/client-iam';
import type { GroupMember, SnapshotPrincipal } from '../snapshot/types.js';
import { awsCall, type CollectContext } from './call.js';
import { definedOnly, requiredIsoDate } from './dates.js';
import { followMarkers, MAX_ITEMS } from './paginate.js';
import { readAttachedPolicies, readInlinePolicies, snapshotPrincipal, type PrincipalSource } from './principal-source.js';

/** A group: GetGroup, ListGroupPolicies + GetGroupPolicy, ListAttachedGroupPolicies. */
export const groupSource: PrincipalSource = {
  async get(ctx, { name: GroupName, arn }, notFound) {
    // GetGroup also pages through the members; the group itself is on the first page, and members are not needed
    // (the last-accessed report names the entities behind each service), so one small page is enough.
    const { Group } = await awsCall(ctx, { action: 'iam:GetGroup', resource: arn ?? `group ${GroupName}`, notFound }, (c, o) =>
      c.iam.send(new GetGroupCommand({ GroupName, MaxItems: 1 }), o),
    );
    return groupPrincipal(Group);
  },

  inlinePolicies: (ctx, owner) =>
    readInlinePolicies(ctx, owner, {
      listAction: 'iam:ListGroupPolicies',
      list: (Marker, c, o) =>
        c.iam.send(new ListGroupPoliciesCommand({ GroupName: owner.Name, Marker, MaxItems: MAX_ITEMS }), o),
      getAction: 'iam:GetGroupPolicy',
      get: (PolicyName) => (c, o) => c.iam.send(new GetGroupPolicyCommand({ GroupName: owner.Name, PolicyName }), o),
    }),

  attachedPolicies: (ctx, owner) =>
    readAttachedPolicies(ctx, owner, {
      action: 'iam:ListAttachedGroupPolicies',
      list: (Marker, c, o) =>
        c.iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: owner.Name, Marker, MaxItems: MAX_ITEMS }), o),
    }),
};

function groupPrincipal(Group: Group | undefined): SnapshotPrincipal {
  return snapshotPrincipal({
    Type: 'group',
    Arn: Group?.Arn,
    Name: Group?.GroupName,
    Path: Group?.Path,
    CreateDate: Group?.CreateDate,
    Id: Group?.GroupId,
  });
}

/** GetGroup with every page of its Users: the group, and its members as IAM lists them. */
export async function readGroupWithMembers(
  ctx: CollectContext,
  GroupName: string,
  notFound: () => Promise<string> | string,
): Promise<{ group: SnapshotPrincipal; members: GroupMember[] }> {
  const pages = await followMarkers(ctx, { action: 'iam:GetGroup', resource: `group ${GroupName}`, notFound }, (Marker, c, o) =>
    c.iam.send(new GetGroupCommand({ GroupName, Marker, MaxItems: MAX_ITEMS }), o),
  );
  const group = groupPrincipal(pages[0]?.Group);
  const members = pages.flatMap((page) => (page.Users ?? []).map(groupMember));
  return { group, members };
}

/** A member of a group as the snapshot keeps it, from GetGroup's Users or GetAccountAuthorizationDetails' users. */
export function groupMember(u: {
  UserName?: string | undefined;
  Arn?: string | undefined;
  CreateDate?: Date | undefined;
  UserId?: string | undefined;
  Path?: string | undefined;
}): GroupMember {
  return definedOnly({
    Name: u.UserName ?? '',
    Arn: u.Arn ?? '',
    CreateDate: requiredIsoDate(u.CreateDate, `CreateDate of ${u.Arn}`),
    Id: u.UserId,
    Path: u.Path,
  });
}
