import { awsError } from '../errors.js';
import { parseIamArn } from '../snapshot/arn.js';
import type { PrincipalSubject, PrincipalType, SnapshotBoundary, SubjectReport } from '../snapshot/types.js';
import type { CollectContext } from './call.js';
import { groupSource } from './group.js';
import type { LastAccessedOptions } from './last-accessed.js';
import { managedPolicyReader, type ManagedPolicyReader } from './managed-policy.js';
import { notFoundInAccount } from './not-found.js';
import { collectPolicies, snapshotBoundary } from './policies.js';
import type { PrincipalRef } from './principal-ref.js';
import type { PrincipalSource } from './principal-source.js';
import { roleSource } from './role.js';
import { collectSubjectReport } from './subject-report.js';
import { userSource } from './user.js';

const SOURCES: Record<PrincipalType, PrincipalSource> = { role: roleSource, user: userSource, group: groupSource };

/**
 * One principal, every policy that applies to it, its permissions boundary and its ACTION_LEVEL last-accessed
 * report (with who used what, for a group).
 */
export async function collectPrincipalSubject(
  ctx: CollectContext,
  ref: PrincipalRef,
  options: LastAccessedOptions,
): Promise<{ subject: PrincipalSubject; report: SubjectReport }> {
  const source = SOURCES[ref.type];
  const principal = await source.get(ctx, ref, () => notFoundInAccount(ctx, `${ref.type} ${ref.name}`, ref.account));
  checkSameAccount(ref, principal.Arn);
  const readManaged = managedPolicyReader();
  const owner = { Name: principal.Name, Arn: principal.Arn };

  // the report job is the slow part: start it first and read the policies while AWS computes it
  const [report, policies, permissionsBoundary] = await Promise.all([
    collectSubjectReport(ctx, principal.Arn, { ...options, entityDetails: ref.type === 'group' }),
    collectPolicies(ctx, { source, owner, type: ref.type, readManaged }),
    principal.PermissionsBoundaryArn !== undefined
      ? readBoundary(ctx, readManaged, principal.PermissionsBoundaryArn)
      : Promise.resolve(undefined),
  ]);
  return {
    subject: { Kind: 'principal', principal, policies, ...(permissionsBoundary ? { permissionsBoundary } : {}) },
    report,
  };
}

async function readBoundary(ctx: CollectContext, readManaged: ManagedPolicyReader, arn: string): Promise<SnapshotBoundary> {
  return snapshotBoundary(await readManaged(ctx, arn));
}

/**
 * IAM's Get* calls read the credentials' own account. An ARN naming another account must not silently collect a
 * same-named principal here.
 */
function checkSameAccount(ref: PrincipalRef, collectedArn: string): void {
  const account = parseIamArn(collectedArn)?.account;
  if (ref.account !== undefined && account !== ref.account) {
    throw awsError(
      `${ref.arn} is in account ${ref.account} but the credentials are for account ${account}: ` +
        `collect with credentials from the principal's own account`,
    );
  }
}
