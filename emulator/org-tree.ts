import type { FixtureOrganization, FixtureOrganizationAccount } from './fixture-types.js';
import { FixtureError } from './fixture.js';

/**
 * The organization of a fixture as a tree: the root, OUs and accounts with their parents, and the SCPs with the
 * targets they are attached to. Built once per fixture (every reference checked), then only looked up.
 */
export type NodeType = 'ROOT' | 'ORGANIZATIONAL_UNIT' | 'ACCOUNT';

export interface OrgNode {
  id: string;
  type: NodeType;
  name: string;
  /** undefined for the root */
  parentId: string | undefined;
  /** o-…/r-…[/ou-…]…[/account-id] (GenerateOrganizationsAccessReport's EntityPath) */
  path: string;
  /** accounts only */
  account?: FixtureOrganizationAccount;
}

export interface OrgPolicy {
  id: string;
  name: string;
  description: string;
  awsManaged: boolean;
  /** the content exactly as DescribePolicy returns it: a JSON string */
  content: string;
  targets: string[];
}

export interface OrgTree {
  org: FixtureOrganization;
  managementAccountId: string;
  root: OrgNode;
  nodes: Map<string, OrgNode>;
  /** parent id → child ids, in fixture order */
  children: Map<string, string[]>;
  policies: Map<string, OrgPolicy>;
}

export const FULL_AWS_ACCESS_ID = 'p-FullAWSAccess';

const FULL_AWS_ACCESS: OrgPolicy = {
  id: FULL_AWS_ACCESS_ID,
  name: 'FullAWSAccess',
  description: 'Allows access to every operation',
  awsManaged: true,
  content: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }),
  targets: [],
};

const cache = new WeakMap<FixtureOrganization, OrgTree>();

export function orgTree(org: FixtureOrganization, fixtureAccountId: string): OrgTree {
  let tree = cache.get(org);
  if (!tree) {
    tree = buildTree(org, fixtureAccountId);
    cache.set(org, tree);
  }
  return tree;
}

function buildTree(org: FixtureOrganization, fixtureAccountId: string): OrgTree {
  const managementAccountId = org.managementAccountId ?? fixtureAccountId;
  const root: OrgNode = { id: org.rootId, type: 'ROOT', name: 'Root', parentId: undefined, path: `${org.id}/${org.rootId}` };
  const nodes = new Map<string, OrgNode>([[root.id, root]]);
  const children = new Map<string, string[]>([[root.id, []]]);
  const pending = [...(org.organizationalUnits ?? [])];
  // OUs may be listed before their parents: place them in as many passes as the nesting is deep
  while (pending.length > 0) {
    const placeable = pending.findIndex((ou) => nodes.has(ou.parentId));
    if (placeable < 0) {
      throw new FixtureError(`fixture: organizationalUnits ${pending[0]?.id}: parent ${pending[0]?.parentId} is not the root or a declared OU`);
    }
    const [ou] = pending.splice(placeable, 1);
    if (!ou) break;
    if (nodes.has(ou.id)) throw new FixtureError(`fixture: organizationalUnits has ${ou.id} twice`);
    const parent = nodes.get(ou.parentId) as OrgNode;
    if (parent.type === 'ACCOUNT') throw new FixtureError(`fixture: OU ${ou.id} cannot sit under account ${ou.parentId}`);
    nodes.set(ou.id, { id: ou.id, type: 'ORGANIZATIONAL_UNIT', name: ou.name, parentId: ou.parentId, path: `${parent.path}/${ou.id}` });
    children.set(ou.id, []);
    children.get(ou.parentId)?.push(ou.id);
  }
  const accounts = [...(org.accounts ?? [])];
  if (!accounts.some((a) => a.id === managementAccountId)) accounts.unshift({ id: managementAccountId, name: 'management' });
  for (const account of accounts) {
    const parentId = account.parentId ?? root.id;
    const parent = nodes.get(parentId);
    if (!parent || parent.type === 'ACCOUNT') throw new FixtureError(`fixture: account ${account.id}: parent ${parentId} is not the root or a declared OU`);
    if (nodes.has(account.id)) throw new FixtureError(`fixture: organization has account ${account.id} twice`);
    nodes.set(account.id, { id: account.id, type: 'ACCOUNT', name: account.name, parentId, path: `${parent.path}/${account.id}`, account });
    children.get(parentId)?.push(account.id);
  }
  const policies = new Map<string, OrgPolicy>();
  for (const p of org.policies ?? []) {
    if (policies.has(p.id)) throw new FixtureError(`fixture: organization policies has ${p.id} twice`);
    for (const t of p.targets ?? []) {
      if (!nodes.has(t)) throw new FixtureError(`fixture: policy ${p.id} targets ${t}, which is not in the organization`);
    }
    policies.set(p.id, {
      id: p.id,
      name: p.name,
      description: p.description ?? '',
      awsManaged: p.awsManaged ?? false,
      content: typeof p.content === 'string' ? p.content : JSON.stringify(p.content),
      targets: [...(p.targets ?? [])],
    });
  }
  if (!policies.has(FULL_AWS_ACCESS_ID)) {
    // AWS attaches FullAWSAccess to the root and to every OU and account it creates; an entity the fixture gives an
    // SCP of its own stands for one where the user replaced it (an allow-list), as every entity needs at least one
    const declared = new Set([...policies.values()].flatMap((p) => p.targets));
    const targets = [...nodes.keys()].filter((id) => id === root.id || !declared.has(id));
    policies.set(FULL_AWS_ACCESS_ID, { ...FULL_AWS_ACCESS, targets });
  }
  return { org, managementAccountId, root, nodes, children, policies };
}

/** the node and its parents up to the root, root first */
export function lineage(tree: OrgTree, id: string): OrgNode[] {
  const out: OrgNode[] = [];
  for (let node = tree.nodes.get(id); node; node = node.parentId ? tree.nodes.get(node.parentId) : undefined) out.unshift(node);
  return out;
}

/** the node and everything below it, depth first in fixture order */
export function subtree(tree: OrgTree, id: string): OrgNode[] {
  const node = tree.nodes.get(id);
  if (!node) return [];
  return [node, ...(tree.children.get(id) ?? []).flatMap((c) => subtree(tree, c))];
}

/** the SCPs attached directly to a target, in fixture order */
export function policiesOn(tree: OrgTree, targetId: string): OrgPolicy[] {
  return [...tree.policies.values()].filter((p) => p.targets.includes(targetId));
}

/** the node an entity path names, when every segment exists and each is the parent of the next */
export function nodeOfPath(tree: OrgTree, path: string): OrgNode | undefined {
  const segments = path.replace(/\/$/, '').split('/');
  if (segments[0] !== tree.org.id || segments[1] !== tree.root.id) return undefined;
  const last = tree.nodes.get(segments[segments.length - 1] ?? '');
  return last && last.path === segments.join('/') ? last : undefined;
}
