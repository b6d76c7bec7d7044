import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { awsError } from '../errors.js';
import { catalogVersion } from '../catalog/load.js';
import { parseIamArn } from '../snapshot/arn.js';
import { SNAPSHOT_SCHEMA_VERSION, type PrincipalType, type Snapshot, type SnapshotBoundary } from '../snapshot/types.js';
import { awsCall, type ApiCallEvent, type CollectContext, type CollectProgressEvent } from './call.js';
import { createAwsClients, destroyAwsClients, type AwsClients, type AwsConnectionOptions } from './clients.js';
import { readEntityDetails } from './entities.js';
import { groupSource } from './group.js';
import {
  DEFAULT_POLL_INTERVAL_MS,
  DEFAULT_TIMEOUT_MS,
  readLastAccessedReport,
  startLastAccessedJob,
} from './last-accessed.js';
import { managedPolicyReader, type ManagedPolicyReader } from './managed-policy.js';
import { parsePrincipalSelector, type PrincipalRef, type PrincipalSelector } from './principal-ref.js';
import { collectPolicies } from './policies.js';
import type { PrincipalSource } from './principal-source.js';
import { roleSource } from './role.js';
import { toolVersion } from '../tool-version.js';
import { userSource } from './user.js';

export interface CollectOptions extends AwsConnectionOptions {
  principal: PrincipalSelector;
  /** bound on the wait for the last-accessed job (default 10 min) */
  timeoutMs?: number;
  /** first poll interval of the job (default 500 ms; it backs off with jitter up to 5 s) */
  pollIntervalMs?: number;
  /** clients to share across many collections (createAwsClients); created and destroyed per call otherwise */
  clients?: AwsClients;
  /** observes every API call (action, attempts): the benchmark counts them */
  onApiCall?: (event: ApiCallEvent) => void;
  /** observes the long waits (the report job): the CLI shows them on a terminal */
  onProgress?: (event: CollectProgressEvent) => void;
}

const SOURCES: Record<PrincipalType, PrincipalSource> = { role: roleSource, user: userSource, group: groupSource };

/**
 * Reads one principal, every policy that applies to it, its permissions boundary and its ACTION_LEVEL last-accessed
 * report, into a Snapshot. Read-only (docs/required-permissions.json). Safe to run many at once on shared clients.
 * Every date comes from AWS; nothing in the snapshot depends on the local clock.
 */
export async function collectSnapshot(options: CollectOptions): Promise<Snapshot> {
  const ref = parsePrincipalSelector(options.principal);
  const clients = options.clients ?? (await createAwsClients(options));
  const controller = new AbortController();
  const ctx: CollectContext = {
    clients,
    signal: controller.signal,
    ...(options.onApiCall ? { onApiCall: options.onApiCall } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  };
  try {
    return await collectWith(ctx, ref, options);
  } catch (error) {
    // stop the sibling branches (a poll can otherwise run on for minutes)
    controller.abort();
    throw error;
  } finally {
    if (options.clients === undefined) destroyAwsClients(clients);
  }
}

async function collectWith(ctx: CollectContext, ref: PrincipalRef, options: CollectOptions): Promise<Snapshot> {
  const source = SOURCES[ref.type];
  const principal = await source.get(ctx, ref, () => notFoundMessage(ctx, ref));
  checkSameAccount(ref, principal.Arn);
  const readManaged = managedPolicyReader();
  const owner = { Name: principal.Name, Arn: principal.Arn };

  // the report job is the slow part: start it first and read the policies while AWS computes it
  const [lastAccessed, policies, permissionsBoundary, tool, catalog] = await Promise.all([
    (async () => {
      const job = await startLastAccessedJob(ctx, principal.Arn);
      const report = await readLastAccessedReport(ctx, job, {
        timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        pollIntervalMs: options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
      });
      return ref.type === 'group' ? { ...report, EntityDetails: await readEntityDetails(ctx, job, report) } : report;
    })(),
    collectPolicies(ctx, { source, owner, type: ref.type, readManaged }),
    principal.PermissionsBoundaryArn !== undefined
      ? readBoundary(ctx, readManaged, principal.PermissionsBoundaryArn)
      : Promise.resolve(undefined),
    toolVersion(),
    catalogVersion(),
  ]);

  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    subject: { Kind: 'principal', principal, policies, ...(permissionsBoundary ? { permissionsBoundary } : {}) },
    report: { Kind: 'service-last-accessed', ...lastAccessed },
    collection: { Source: 'aws', Region: ctx.clients.region, ToolVersion: tool, CatalogVersion: catalog },
  };
}

async function readBoundary(ctx: CollectContext, readManaged: ManagedPolicyReader, arn: string): Promise<SnapshotBoundary> {
  const policy = await readManaged(ctx, arn);
  return {
    PolicyArn: policy.PolicyArn,
    PolicyName: policy.PolicyName,
    DefaultVersionId: policy.DefaultVersionId,
    PolicyDocument: policy.PolicyDocument,
  };
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

/** "role X not found in account Y": the account comes from STS GetCallerIdentity, asked only on this path. */
async function notFoundMessage(ctx: CollectContext, ref: PrincipalRef): Promise<string> {
  let account: string | undefined;
  try {
    const identity = await awsCall(ctx, { action: 'sts:GetCallerIdentity', resource: 'the caller' }, (c, o) =>
      c.sts.send(new GetCallerIdentityCommand({}), o),
    );
    account = identity.Account;
  } catch {
    // the message is still useful without the account
  }
  const where = account !== undefined ? `account ${account}` : "the credentials' account";
  const other =
    ref.account !== undefined && account !== undefined && ref.account !== account
      ? ` (the ARN names account ${ref.account}; collect with credentials from that account)`
      : '';
  return `${ref.type} ${ref.name} not found in ${where}${other}`;
}
