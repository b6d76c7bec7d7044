import { SNAPSHOT_SCHEMA_VERSION, type CollectionMetadata, type Snapshot } from '../../snapshot/types.js';
import type { CollectContext } from '../call.js';
import { destroyAwsClients, type AwsClients } from '../clients.js';
import { mapLimit } from '../concurrency.js';
import type { LastAccessedOptions } from '../last-accessed.js';
import { collectSubjectReport } from '../subject-report.js';
import { assumedRoleClients } from './assume-role.js';
import { filterFor, readAuthorizationDetails } from './authorization-details.js';
import { createJobTiming, type JobTiming } from './job-timing.js';
import type { Caller } from './scope.js';
import { planAccount, type AccountPlan } from './select.js';
import { indexDetails, managedPolicySubject, policyLookup, principalSubject, type AccountIndex, type PolicyLookup } from './subjects.js';
import type { AccountRunEvent, AccountRunOptions, SubjectKey } from './types.js';

/** What every account of a run shares. */
export interface AccountRun {
  options: AccountRunOptions;
  /** the caller's own clients, with the run's signal and observers */
  home: CollectContext;
  /** set for scope list and organization: every account is entered through its role */
  assume: { roleName: string; externalId: string | undefined; caller: () => Promise<Caller> } | undefined;
  concurrency: number;
  wait: LastAccessedOptions;
  versions: Pick<CollectionMetadata, 'ToolVersion' | 'CatalogVersion'>;
  /** onEvent, awaited; never throws (a consumer's error stops the run instead) */
  emit: (event: AccountRunEvent) => Promise<void>;
}

/** One account read and listed, ready for its report jobs. */
interface ListedAccount {
  ctx: CollectContext;
  plan: AccountPlan;
  index: AccountIndex;
  lookup: PolicyLookup;
  timing: JobTiming;
}

/**
 * One account: its clients (its own role session, unless it is the caller's own account), its listing, its plan,
 * then its subjects' report jobs in a rolling window. Never throws: what fails is an event.
 */
export async function runAccount(run: AccountRun, account: string): Promise<void> {
  const { signal } = run.home;
  if (signal.aborted) return;
  let clients: AwsClients | undefined;
  try {
    let listed: ListedAccount;
    try {
      clients = run.assume === undefined ? run.home.clients : await assumedClients(run, account);
      listed = await listAccount(run, account, { ...run.home, clients });
    } catch (error) {
      if (!signal.aborted) await run.emit({ kind: 'account-failed', account, error: errorLine(error) });
      return;
    }
    await run.emit({ kind: 'planned', account, subjects: listed.plan.subjects, skipped: listed.plan.skipped });
    await mapLimit(listed.plan.subjects, run.concurrency, async (key) => {
      if (signal.aborted) return;
      const event = await collectSubject(run, listed, key);
      if (event !== undefined) await run.emit(event);
    });
  } finally {
    if (clients !== undefined && clients !== run.home.clients) destroyAwsClients(clients);
  }
}

/** GetAccountAuthorizationDetails for the kinds the selection needs, and what the run takes from it */
async function listAccount(run: AccountRun, account: string, ctx: CollectContext): Promise<ListedAccount> {
  const details = await readAuthorizationDetails(ctx, account, filterFor(run.options.selection));
  const index = indexDetails(details);
  return {
    ctx,
    plan: planAccount(account, details, run.options.selection),
    index,
    lookup: policyLookup(ctx, index),
    timing: createJobTiming(),
  };
}

async function assumedClients(run: AccountRun, account: string): Promise<AwsClients> {
  const assume = run.assume;
  if (assume === undefined) return run.home.clients;
  const { partition } = await assume.caller();
  return assumedRoleClients(run.home, run.options, { account, partition, roleName: assume.roleName, externalId: assume.externalId });
}

/**
 * One subject's snapshot: its policies from the listing, its report job with the account's learned first poll.
 * undefined when the run was aborted before it finished (the consumer counts it as interrupted).
 */
async function collectSubject(run: AccountRun, listed: ListedAccount, key: SubjectKey): Promise<AccountRunEvent | undefined> {
  const { ctx, index, lookup, timing } = listed;
  try {
    const subject = key.kind === 'policy' ? await managedPolicySubject(key, index, lookup) : await principalSubject(key, index, lookup);
    if (run.home.signal.aborted || run.options.skip?.(key, subject) === true) return undefined;
    const firstPollDelayMs = timing.firstPollDelayMs();
    const report = await collectSubjectReport(ctx, key.arn, {
      ...run.wait,
      ...(firstPollDelayMs !== undefined ? { firstPollDelayMs } : {}),
      // a group's and a policy's report sums several entities: who used what
      entityDetails: key.kind === 'group' || key.kind === 'policy',
      notFound: async () => `${key.kind} ${key.name} was listed by GetAccountAuthorizationDetails and deleted before its report (NoSuchEntity)`,
    });
    timing.record(report);
    const snapshot: Snapshot = {
      schemaVersion: SNAPSHOT_SCHEMA_VERSION,
      subject,
      report,
      collection: { Source: 'aws', Region: ctx.clients.region, ...run.versions },
    };
    return { kind: 'collected', key, snapshot };
  } catch (error) {
    if (ctx.signal.aborted) return undefined;
    return { kind: 'failed', key, error: errorLine(error) };
  }
}

function errorLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s+/g, ' ').trim();
}
