import {
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import { awsCall } from './call.js';
import { MAX_ITEMS } from './paginate.js';
import { readAttachedPolicies, readInlinePolicies, snapshotPrincipal, type PrincipalSource } from './principal-source.js';

/** A role: GetRole, ListRolePolicies + GetRolePolicy, ListAttachedRolePolicies. */
export const roleSource: PrincipalSource = {
  async get(ctx, { name: RoleName, arn }, notFound) {
    const { Role } = await awsCall(ctx, { action: 'iam:GetRole', resource: arn ?? `role ${RoleName}`, notFound }, (c, o) =>
      c.iam.send(new GetRoleCommand({ RoleName }), o),
    );
    return snapshotPrincipal({
      Type: 'role',
      Arn: Role?.Arn,
      Name: Role?.RoleName,
      Path: Role?.Path,
      CreateDate: Role?.CreateDate,
      Id: Role?.RoleId,
      Tags: Role?.Tags,
      PermissionsBoundaryArn: Role?.PermissionsBoundary?.PermissionsBoundaryArn,
    });
  },

  inlinePolicies: (ctx, owner) =>
    readInlinePolicies(ctx, owner, {
      listAction: 'iam:ListRolePolicies',
      list: (Marker, c, o) =>
        c.iam.send(new ListRolePoliciesCommand({ RoleName: owner.Name, Marker, MaxItems: MAX_ITEMS }), o),
      getAction: 'iam:GetRolePolicy',
      get: (PolicyName) => (c, o) => c.iam.send(new GetRolePolicyCommand({ RoleName: owner.Name, PolicyName }), o),
    }),

  attachedPolicies: (ctx, owner) =>
    readAttachedPolicies(ctx, owner, {
      action: 'iam:ListAttachedRolePolicies',
      list: (Marker, c, o) =>
        c.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: owner.Name, Marker, MaxItems: MAX_ITEMS }), o),
    }),
};
