import { inputError } from '../errors.js';
import { parseIamArn } from '../snapshot/arn.js';
import { parsePrincipalSelector, type PrincipalSelector } from './principal-ref.js';

/** A managed policy to collect as the subject: by ARN only (an AWS-managed policy has no account to look a name up in). */
export interface ManagedPolicySelector {
  type: 'managed-policy';
  arn: string;
}

/** A service control policy, by id (p-…). */
export interface ScpSelector {
  type: 'scp';
  id: string;
}

/** A root, OU or account of an organization, by its entity path: o-…/r-…[/ou-…]…[/account-id]. */
export interface OrganizationEntitySelector {
  type: 'organization-entity';
  path: string;
}

/** What one collection is about: a role, user or group, a managed policy, an SCP, or an organization entity. */
export type SubjectSelector = PrincipalSelector | ManagedPolicySelector | ScpSelector | OrganizationEntitySelector;

/** Organizations' policy id pattern (AWS-managed ones have upper case: p-FullAWSAccess) */
const SCP_ID = /^p-[0-9a-zA-Z_]{8,128}$/;
const ORG_ID = /^o-[0-9a-z]{10,32}$/;
const ROOT_ID = /^r-[0-9a-z]{4,32}$/;
const OU_ID = /^ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}$/;
const ACCOUNT_ID = /^[0-9]{12}$/;

/** A validated entity path: its segments, and what the last one names. */
export interface OrganizationEntityRef {
  type: 'organization-entity';
  path: string;
  organizationId: string;
  rootId: string;
  /** the OUs from the root down, in path order */
  ous: string[];
  account: string | undefined;
  /** the last segment: the root, the deepest OU or the account */
  entityId: string;
  entityType: 'ROOT' | 'ORGANIZATIONAL_UNIT' | 'ACCOUNT';
}

export function parseScpSelector(selector: ScpSelector): ScpSelector {
  if (!SCP_ID.test(selector.id)) {
    throw inputError(`bad SCP id ${JSON.stringify(selector.id)}: expected p- and 8 to 128 letters, digits or underscores (p-examplepolicyid111)`);
  }
  return selector;
}

export function parseOrganizationEntitySelector(selector: OrganizationEntitySelector): OrganizationEntityRef {
  const path = selector.path.replace(/\/$/, '');
  const [org = '', root = '', ...rest] = path.split('/');
  const last = rest[rest.length - 1];
  const account = last !== undefined && ACCOUNT_ID.test(last) ? last : undefined;
  const ous = account !== undefined ? rest.slice(0, -1) : rest;
  const bad = !ORG_ID.test(org) ? org : !ROOT_ID.test(root) ? root : ous.find((s) => !OU_ID.test(s));
  if (bad !== undefined) {
    throw inputError(
      `bad entity path ${JSON.stringify(selector.path)}: ${JSON.stringify(bad)} is not ` +
        `${bad === org ? 'an organization id (o-…)' : bad === root ? 'a root id (r-…)' : 'an OU id (ou-…) or, last, a 12-digit account id'}; ` +
        'expected o-…/r-…[/ou-…]…[/account-id]',
    );
  }
  const entityId = account ?? ous[ous.length - 1] ?? root;
  const entityType = account !== undefined ? 'ACCOUNT' : ous.length > 0 ? 'ORGANIZATIONAL_UNIT' : 'ROOT';
  return { type: 'organization-entity', path, organizationId: org, rootId: root, ous, account, entityId, entityType };
}

/** A validated managed-policy selector: the ARN and what it names. */
export interface ManagedPolicyRef {
  type: 'managed-policy';
  arn: string;
  name: string;
  /** 12 digits, or `aws` for an AWS-managed policy */
  account: string;
}

export function isManagedPolicySelector(selector: SubjectSelector): selector is ManagedPolicySelector {
  return selector.type === 'managed-policy';
}

export function parseManagedPolicySelector(selector: ManagedPolicySelector): ManagedPolicyRef {
  const parsed = parseIamArn(selector.arn);
  if (parsed === undefined) {
    throw inputError(`bad managed policy ARN '${selector.arn}': expected arn:aws:iam::<account-id or aws>:policy/<path><name>`);
  }
  if (parsed.resourceType !== 'policy') {
    throw inputError(`'${selector.arn}' is a ${parsed.resourceType} ARN, not a managed policy ARN`);
  }
  return { type: 'managed-policy', arn: selector.arn, name: parsed.name, account: parsed.account };
}

/**
 * The subject's name (a principal's or a policy's): the recommendation's output folder is named after it. An entity
 * path's last segment names the entity; an SCP's name is unknown before the calls, so its id stands in (the CLI's
 * preflight checks only --out then).
 */
export function subjectName(selector: SubjectSelector): string {
  switch (selector.type) {
    case 'managed-policy':
      return parseManagedPolicySelector(selector).name;
    case 'scp':
      return parseScpSelector(selector).id;
    case 'organization-entity':
      return parseOrganizationEntitySelector(selector).entityId;
    default:
      return parsePrincipalSelector(selector).name;
  }
}
