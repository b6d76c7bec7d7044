/**
 * Every AWS API action the collector can call, and nothing else. docs/required-permissions.json grants exactly these;
 * test/collect/required-permissions.test.ts checks that the SDK commands imported under src/ match this list and
 * that none is a write. GenerateServiceLastAccessedDetails starts an asynchronous report job: IAM classifies it as
 * Read access, and it changes nothing in the account; GenerateOrganizationsAccessReport likewise for an organization.
 * sts:AssumeRole (account-wide runs over several accounts) is the one action IAM does not class as Read or List: it
 * only hands out temporary credentials for the read-only role named by --assume-role-name, and changes nothing.
 */
export const COLLECTOR_ACTIONS = [
  'iam:GetRole',
  'iam:GetUser',
  'iam:GetGroup',
  'iam:ListRolePolicies',
  'iam:GetRolePolicy',
  'iam:ListAttachedRolePolicies',
  'iam:ListUserPolicies',
  'iam:GetUserPolicy',
  'iam:ListAttachedUserPolicies',
  'iam:ListGroupsForUser',
  'iam:ListGroupPolicies',
  'iam:GetGroupPolicy',
  'iam:ListAttachedGroupPolicies',
  'iam:GetPolicy',
  'iam:GetPolicyVersion',
  'iam:ListPolicyVersions',
  'iam:ListEntitiesForPolicy',
  'iam:GenerateServiceLastAccessedDetails',
  'iam:GetServiceLastAccessedDetails',
  'iam:GetServiceLastAccessedDetailsWithEntities',
  'iam:GetAccountAuthorizationDetails',
  'iam:GenerateOrganizationsAccessReport',
  'iam:GetOrganizationsAccessReport',
  'organizations:DescribeOrganization',
  'organizations:ListRoots',
  'organizations:ListParents',
  'organizations:ListOrganizationalUnitsForParent',
  'organizations:ListAccountsForParent',
  'organizations:DescribeAccount',
  'organizations:DescribeOrganizationalUnit',
  'organizations:DescribePolicy',
  'organizations:ListTargetsForPolicy',
  'organizations:ListPoliciesForTarget',
  'organizations:ListAccounts',
  'sts:GetCallerIdentity',
  'sts:AssumeRole',
] as const;

export type CollectorAction = (typeof COLLECTOR_ACTIONS)[number];
