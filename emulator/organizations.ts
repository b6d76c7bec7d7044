import type { Account } from './account.js';
import { ApiError } from './api-error.js';
import { orgTree, policiesOn, type OrgNode, type OrgPolicy, type OrgTree } from './org-tree.js';

/**
 * AWS Organizations over JSON 1.1 (X-Amz-Target: AWSOrganizationsV20161128.<Operation>): the read operations a
 * collector needs to find the organization and its accounts. Timestamps are epoch seconds, as the protocol encodes.
 */
export type JsonHandler = (input: Record<string, unknown>, account: Account, pageSize: number | undefined) => unknown;

const epoch = (iso: string | undefined, fallback: Date): number => (iso ? new Date(iso) : fallback).getTime() / 1000;

function organization(account: Account) {
  const org = account.organization;
  if (!org) {
    // 404 is the status in the API model
    throw new ApiError('AWSOrganizationsNotInUseException', 404, 'Your account is not a member of an organization.');
  }
  return org;
}

const SCP_ENABLED = [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }];

function jsonPage<T>(items: T[], input: Record<string, unknown>, pageSize: number | undefined) {
  const start = typeof input.NextToken === 'string' ? Number(Buffer.from(input.NextToken, 'base64').toString()) : 0;
  if (!Number.isInteger(start) || start < 0 || start > items.length) {
    throw new ApiError('InvalidInputException', 400, 'You provided an invalid value for NextToken.');
  }
  let max = typeof input.MaxResults === 'number' ? input.MaxResults : 20;
  if (pageSize !== undefined) max = Math.min(max, pageSize);
  const page = items.slice(start, start + max);
  const next = start + page.length;
  return { page, NextToken: next < items.length ? Buffer.from(String(next)).toString('base64') : undefined };
}

const notFound = (code: string, message: string): ApiError => new ApiError(code, 400, message);
const invalid = (message: string): ApiError => new ApiError('InvalidInputException', 400, message);

function treeOf(account: Account): OrgTree {
  return orgTree(organization(account), account.id);
}

function requiredString(input: Record<string, unknown>, name: string, pattern: RegExp): string {
  const v = input[name];
  if (typeof v !== 'string' || v === '') throw invalid(`You must specify ${name}.`);
  if (!pattern.test(v)) throw invalid(`You specified an invalid value for ${name}.`);
  return v;
}

const TARGET_ID = /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|[0-9]{12})$/;
const PARENT_ID = /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/;
const CHILD_ID = /^(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|[0-9]{12})$/;
const POLICY_ID = /^p-[0-9a-zA-Z_]{8,128}$/;
const ACCOUNT_ID = /^[0-9]{12}$/;

function requireScpFilter(input: Record<string, unknown>): void {
  if (input.Filter === undefined) throw invalid('You must specify Filter.');
  // only SCPs are modelled: other policy types exist in AWS but this organization has none
  if (!['SERVICE_CONTROL_POLICY', 'TAG_POLICY', 'BACKUP_POLICY', 'AISERVICES_OPT_OUT_POLICY', 'CHATBOT_POLICY', 'DECLARATIVE_POLICY_EC2', 'RESOURCE_CONTROL_POLICY'].includes(String(input.Filter))) {
    throw invalid(`You specified an invalid value for Filter.`);
  }
}

function parentNode(tree: OrgTree, input: Record<string, unknown>): OrgNode {
  const id = requiredString(input, 'ParentId', PARENT_ID);
  const node = tree.nodes.get(id);
  if (!node || node.type === 'ACCOUNT') throw notFound('ParentNotFoundException', 'We can\'t find a root or OU with the ParentId that you specified.');
  return node;
}

const arnOf = (tree: OrgTree, node: OrgNode): string => {
  const mgmt = tree.managementAccountId;
  if (node.type === 'ROOT') return `arn:aws:organizations::${mgmt}:root/${tree.org.id}/${node.id}`;
  if (node.type === 'ORGANIZATIONAL_UNIT') return `arn:aws:organizations::${mgmt}:ou/${tree.org.id}/${node.id}`;
  return `arn:aws:organizations::${mgmt}:account/${tree.org.id}/${node.id}`;
};

const policyArn = (tree: OrgTree, p: OrgPolicy): string =>
  p.awsManaged
    ? `arn:aws:organizations::aws:policy/service_control_policy/${p.id}`
    : `arn:aws:organizations::${tree.managementAccountId}:policy/${tree.org.id}/service_control_policy/${p.id}`;

const policySummary = (tree: OrgTree, p: OrgPolicy) => ({
  Id: p.id,
  Arn: policyArn(tree, p),
  Name: p.name,
  Description: p.description,
  Type: 'SERVICE_CONTROL_POLICY',
  AwsManaged: p.awsManaged,
});

function accountOut(tree: OrgTree, node: OrgNode, now: Date) {
  const a = node.account;
  return {
    Id: node.id,
    Arn: arnOf(tree, node),
    Email: a?.email ?? `${node.id}@example.com`,
    Name: node.name,
    Status: a?.status ?? 'ACTIVE',
    JoinedMethod: node.id === tree.managementAccountId ? 'CREATED' : 'INVITED',
    JoinedTimestamp: epoch(a?.joinedTimestamp, now),
  };
}

function childNodes(tree: OrgTree, parent: OrgNode, type: 'ACCOUNT' | 'ORGANIZATIONAL_UNIT'): OrgNode[] {
  return (tree.children.get(parent.id) ?? []).map((id) => tree.nodes.get(id) as OrgNode).filter((n) => n.type === type);
}

function scp(tree: OrgTree, input: Record<string, unknown>): OrgPolicy {
  const id = requiredString(input, 'PolicyId', POLICY_ID);
  const p = tree.policies.get(id);
  if (!p) throw notFound('PolicyNotFoundException', 'We can\'t find a policy with the PolicyId that you specified.');
  return p;
}

export const organizationsHandlers: Record<string, JsonHandler> = {
  DescribeOrganization: (_input, account) => {
    const org = organization(account);
    const mgmt = org.managementAccountId ?? account.id;
    return {
      Organization: {
        Id: org.id,
        Arn: `arn:aws:organizations::${mgmt}:organization/${org.id}`,
        FeatureSet: org.featureSet ?? 'ALL',
        MasterAccountArn: `arn:aws:organizations::${mgmt}:account/${org.id}/${mgmt}`,
        MasterAccountId: mgmt,
        MasterAccountEmail: org.managementAccountEmail ?? `management@example.com`,
        AvailablePolicyTypes: SCP_ENABLED,
      },
    };
  },
  ListRoots: (_input, account) => {
    const org = organization(account);
    const mgmt = org.managementAccountId ?? account.id;
    return {
      Roots: [
        { Id: org.rootId, Arn: `arn:aws:organizations::${mgmt}:root/${org.id}/${org.rootId}`, Name: 'Root', PolicyTypes: SCP_ENABLED },
      ],
    };
  },
  ListAccounts: (input, account, pageSize) => {
    const org = organization(account);
    const mgmt = org.managementAccountId ?? account.id;
    const accounts = (org.accounts ?? []).map((a) => ({
      Id: a.id,
      Arn: `arn:aws:organizations::${mgmt}:account/${org.id}/${a.id}`,
      Email: a.email ?? `${a.id}@example.com`,
      Name: a.name,
      Status: a.status ?? 'ACTIVE',
      JoinedMethod: a.id === mgmt ? 'CREATED' : 'INVITED',
      JoinedTimestamp: epoch(a.joinedTimestamp, account.now),
    }));
    const { page, NextToken } = jsonPage(accounts, input, pageSize);
    return { Accounts: page, NextToken };
  },
  ListParents: (input, account, pageSize) => {
    const tree = treeOf(account);
    const id = requiredString(input, 'ChildId', CHILD_ID);
    const node = tree.nodes.get(id);
    if (!node?.parentId) throw notFound('ChildNotFoundException', 'We can\'t find an organizational unit (OU) or AWS account with the ChildId that you specified.');
    const parent = tree.nodes.get(node.parentId) as OrgNode;
    const { page, NextToken } = jsonPage([{ Id: parent.id, Type: parent.type }], input, pageSize);
    return { Parents: page, NextToken };
  },
  ListChildren: (input, account, pageSize) => {
    const tree = treeOf(account);
    const parent = parentNode(tree, input);
    const type = input.ChildType;
    if (type !== 'ACCOUNT' && type !== 'ORGANIZATIONAL_UNIT') throw invalid('You specified an invalid value for ChildType.');
    const { page, NextToken } = jsonPage(childNodes(tree, parent, type).map((n) => ({ Id: n.id, Type: n.type })), input, pageSize);
    return { Children: page, NextToken };
  },
  ListOrganizationalUnitsForParent: (input, account, pageSize) => {
    const tree = treeOf(account);
    const parent = parentNode(tree, input);
    const ous = childNodes(tree, parent, 'ORGANIZATIONAL_UNIT').map((n) => ({ Id: n.id, Arn: arnOf(tree, n), Name: n.name }));
    const { page, NextToken } = jsonPage(ous, input, pageSize);
    return { OrganizationalUnits: page, NextToken };
  },
  ListAccountsForParent: (input, account, pageSize) => {
    const tree = treeOf(account);
    const parent = parentNode(tree, input);
    const accounts = childNodes(tree, parent, 'ACCOUNT').map((n) => accountOut(tree, n, account.now));
    const { page, NextToken } = jsonPage(accounts, input, pageSize);
    return { Accounts: page, NextToken };
  },
  DescribeAccount: (input, account) => {
    const tree = treeOf(account);
    const id = requiredString(input, 'AccountId', ACCOUNT_ID);
    const node = tree.nodes.get(id);
    if (node?.type !== 'ACCOUNT') throw notFound('AccountNotFoundException', 'You specified an account that doesn\'t exist.');
    return { Account: accountOut(tree, node, account.now) };
  },
  DescribeOrganizationalUnit: (input, account) => {
    const tree = treeOf(account);
    const id = requiredString(input, 'OrganizationalUnitId', /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/);
    const node = tree.nodes.get(id);
    if (node?.type !== 'ORGANIZATIONAL_UNIT') {
      throw notFound('OrganizationalUnitNotFoundException', 'We can\'t find an OU with the OrganizationalUnitId that you specified.');
    }
    return { OrganizationalUnit: { Id: node.id, Arn: arnOf(tree, node), Name: node.name } };
  },
  DescribePolicy: (input, account) => {
    const tree = treeOf(account);
    const p = scp(tree, input);
    return { Policy: { PolicySummary: policySummary(tree, p), Content: p.content } };
  },
  ListPolicies: (input, account, pageSize) => {
    const tree = treeOf(account);
    requireScpFilter(input);
    const list = input.Filter === 'SERVICE_CONTROL_POLICY' ? [...tree.policies.values()].map((p) => policySummary(tree, p)) : [];
    const { page, NextToken } = jsonPage(list, input, pageSize);
    return { Policies: page, NextToken };
  },
  ListTargetsForPolicy: (input, account, pageSize) => {
    const tree = treeOf(account);
    const p = scp(tree, input);
    const targets = p.targets.map((id) => {
      const node = tree.nodes.get(id) as OrgNode;
      return { TargetId: node.id, Arn: arnOf(tree, node), Name: node.name, Type: node.type };
    });
    const { page, NextToken } = jsonPage(targets, input, pageSize);
    return { Targets: page, NextToken };
  },
  ListPoliciesForTarget: (input, account, pageSize) => {
    const tree = treeOf(account);
    const id = requiredString(input, 'TargetId', TARGET_ID);
    requireScpFilter(input);
    if (!tree.nodes.has(id)) throw notFound('TargetNotFoundException', 'We can\'t find a root, OU, account, or policy with the TargetId that you specified.');
    const list = input.Filter === 'SERVICE_CONTROL_POLICY' ? policiesOn(tree, id).map((p) => policySummary(tree, p)) : [];
    const { page, NextToken } = jsonPage(list, input, pageSize);
    return { Policies: page, NextToken };
  },
};
