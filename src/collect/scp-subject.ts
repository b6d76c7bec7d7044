import { DescribePolicyCommand, ListTargetsForPolicyCommand } from '@aws-sdk/client-organizations';
import { awsError } from '../errors.js';
import type { OrganizationsReport, ScpSubject, ScpTarget } from '../snapshot/types.js';
import { awsCall, type CollectContext } from './call.js';
import { definedOnly } from './dates.js';
import { decodePolicyDocument } from './document.js';
import type { LastAccessedOptions } from './last-accessed.js';
import { createLimiter, mapLimit } from './concurrency.js';
import { accountsBelow, ORG_CALLS_IN_FLIGHT, pathResolver, readOrganization, sortAccounts, type OrgEntityType } from './org-structure.js';
import { collectOrganizationsReport } from './organizations-report.js';
import { MAX_RESULTS, paginateTokens } from './paginate.js';
import type { ScpSelector } from './subject-ref.js';

const TARGET_TYPES: readonly string[] = ['ROOT', 'ORGANIZATIONAL_UNIT', 'ACCOUNT'];

/**
 * An SCP as the subject: DescribePolicy (its content decoded), where it is attached (ListTargetsForPolicy, each target
 * with its path), the member accounts it applies to (below its targets, the management account left out, with their
 * join dates), and the Organizations access report at the ROOT with the policy id: that one covers every account the
 * SCP applies to (an OU below its attachment would report no data at all). The report starts as soon as the
 * organization is known; the rest is read while AWS computes it.
 */
export async function collectScpSubject(
  ctx: CollectContext,
  ref: ScpSelector,
  options: LastAccessedOptions,
): Promise<{ subject: ScpSubject; report: OrganizationsReport }> {
  const notFound = (): string => `SCP ${ref.id} not found in the organization (PolicyNotFoundException)`;
  const organization = await readOrganization(ctx);
  const rootPath = `${organization.Id}/${organization.RootId}`;
  const [policy, report, targets] = await Promise.all([
    readScp(ctx, ref.id, notFound),
    collectOrganizationsReport(ctx, { entityPath: rootPath, policyId: ref.id, notFound }, options),
    listTargets(ctx, ref.id, notFound, pathResolver(ctx, organization)),
  ]);
  const limit = createLimiter(ORG_CALLS_IN_FLIGHT);
  // the walks' list calls share `limit`; an account target's DescribeAccount is bounded by the map
  const below = await mapLimit(targets, ORG_CALLS_IN_FLIGHT, (t) =>
    accountsBelow(ctx, organization, { id: t.TargetId, type: t.Type, path: t.Path }, limit),
  );
  return {
    subject: { Kind: 'scp', organization, policy, targets, accounts: sortAccounts(below.flat()) },
    report,
  };
}

async function readScp(ctx: CollectContext, PolicyId: string, notFound: () => string): Promise<ScpSubject['policy']> {
  const { Policy } = await awsCall(ctx, { action: 'organizations:DescribePolicy', resource: PolicyId, notFound }, (c, o) =>
    c.organizations.send(new DescribePolicyCommand({ PolicyId }), o),
  );
  const summary = Policy?.PolicySummary;
  if (summary?.Type !== undefined && summary.Type !== 'SERVICE_CONTROL_POLICY') {
    throw awsError(`${PolicyId} is a ${summary.Type}, not a service control policy`);
  }
  return definedOnly({
    Id: summary?.Id ?? PolicyId,
    Name: summary?.Name ?? PolicyId,
    AwsManaged: summary?.AwsManaged ?? false,
    // Organizations returns the content as plain JSON text (no URL encoding); decoded the way IAM documents are
    Content: decodePolicyDocument(Policy?.Content, `SCP ${PolicyId}`),
    Arn: summary?.Arn,
    Description: summary?.Description === '' ? undefined : summary?.Description,
  });
}

async function listTargets(
  ctx: CollectContext,
  PolicyId: string,
  notFound: () => string,
  pathOf: (id: string) => Promise<string>,
): Promise<ScpTarget[]> {
  const listed = await paginateTokens(
    ctx,
    { action: 'organizations:ListTargetsForPolicy', resource: PolicyId, notFound },
    (NextToken, c, o) => c.organizations.send(new ListTargetsForPolicyCommand({ PolicyId, NextToken, MaxResults: MAX_RESULTS }), o),
    'Targets',
  );
  const targets = await mapLimit(listed, ORG_CALLS_IN_FLIGHT, async (t): Promise<ScpTarget> => {
    const id = t.TargetId ?? '';
    if (!TARGET_TYPES.includes(t.Type ?? '')) throw awsError(`ListTargetsForPolicy named target ${id} of unknown type ${String(t.Type)}`);
    return definedOnly({ TargetId: id, Type: t.Type as OrgEntityType, Path: await pathOf(id), Name: t.Name, Arn: t.Arn });
  });
  return targets.sort((a, b) => (a.Path < b.Path ? -1 : a.Path > b.Path ? 1 : 0));
}
