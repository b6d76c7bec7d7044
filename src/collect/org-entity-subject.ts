import { DescribeOrganizationalUnitCommand, ListPoliciesForTargetCommand } from '@aws-sdk/client-organizations';
import { awsError, inputError } from '../errors.js';
import type { OrganizationEntitySubject, OrganizationsReport } from '../snapshot/types.js';
import { awsCall, type CollectContext } from './call.js';
import { definedOnly } from './dates.js';
import type { LastAccessedOptions } from './last-accessed.js';
import { accountsBelow, pathResolver, readOrganization, type Organization } from './org-structure.js';
import { collectOrganizationsReport } from './organizations-report.js';
import { MAX_RESULTS, paginateTokens } from './paginate.js';
import type { OrganizationEntityRef } from './subject-ref.js';

/**
 * A root, OU or account as the subject: the path checked against the organization first (every segment the parent
 * of the next), then the member accounts below it with their join dates (the management account left out), the SCPs
 * attached to it directly (a new guardrail counts against its quota), and the Organizations access report on the
 * path without a policy id. The management account's own path is refused before the report: SCPs do not apply to it.
 */
export async function collectOrganizationEntitySubject(
  ctx: CollectContext,
  ref: OrganizationEntityRef,
  options: LastAccessedOptions,
): Promise<{ subject: OrganizationEntitySubject; report: OrganizationsReport }> {
  const organization = await readOrganization(ctx);
  const unknown = (): string => `entity path ${ref.path} not found in organization ${organization.Id}`;
  if (ref.organizationId !== organization.Id || ref.rootId !== organization.RootId) {
    throw awsError(`${unknown()} (its root is ${organization.Id}/${organization.RootId})`);
  }
  if (ref.account !== undefined && ref.account === organization.ManagementAccountId) {
    throw inputError(`${ref.path} is the management account: SCPs do not apply to the management account`);
  }
  // before the report: a path that does not nest gets no job, and its line says where the entity really is
  await checkNesting(ctx, organization, ref, unknown);
  const [name, attachedPolicies, report] = await Promise.all([
    entityName(ctx, ref, unknown),
    attachedScps(ctx, ref.entityId, unknown),
    collectOrganizationsReport(ctx, { entityPath: ref.path, notFound: unknown }, options),
  ]);
  const accounts = await accountsBelow(ctx, organization, { id: ref.entityId, type: ref.entityType, path: ref.path });
  return {
    subject: {
      Kind: 'organization-entity',
      organization,
      entity: definedOnly({ Path: ref.path, Type: ref.entityType, Id: ref.entityId, Name: name ?? accounts[0]?.Name }),
      accounts,
      attachedPolicies,
    },
    report,
  };
}

/** the entity sits where the path says: its real path (ListParents up to the root) is the path given */
async function checkNesting(ctx: CollectContext, org: Organization, ref: OrganizationEntityRef, unknown: () => string): Promise<void> {
  if (ref.entityType === 'ROOT') return;
  let real: string;
  try {
    real = await pathResolver(ctx, org)(ref.entityId);
  } catch (error) {
    throw awsError(unknown(), error);
  }
  if (real !== ref.path) throw awsError(`${unknown()}: ${ref.entityId} is at ${real}`);
}

async function entityName(ctx: CollectContext, ref: OrganizationEntityRef, unknown: () => string): Promise<string | undefined> {
  // an account's name comes with the accounts below it; the root has the name Root
  if (ref.entityType !== 'ORGANIZATIONAL_UNIT') return ref.entityType === 'ROOT' ? 'Root' : undefined;
  const { OrganizationalUnit } = await awsCall(
    ctx,
    { action: 'organizations:DescribeOrganizationalUnit', resource: ref.entityId, notFound: unknown },
    (c, o) => c.organizations.send(new DescribeOrganizationalUnitCommand({ OrganizationalUnitId: ref.entityId }), o),
  );
  return OrganizationalUnit?.Name;
}

async function attachedScps(ctx: CollectContext, TargetId: string, unknown: () => string): Promise<OrganizationEntitySubject['attachedPolicies']> {
  const listed = await paginateTokens(
    ctx,
    { action: 'organizations:ListPoliciesForTarget', resource: TargetId, notFound: unknown },
    (NextToken, c, o) =>
      c.organizations.send(new ListPoliciesForTargetCommand({ TargetId, Filter: 'SERVICE_CONTROL_POLICY', NextToken, MaxResults: MAX_RESULTS }), o),
    'Policies',
  );
  return listed
    .map((p) => ({ Id: p.Id ?? '', Name: p.Name ?? '', AwsManaged: p.AwsManaged ?? false }))
    .sort((a, b) => (a.Id < b.Id ? -1 : a.Id > b.Id ? 1 : 0));
}
