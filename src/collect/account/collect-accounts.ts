import { setMaxListeners } from 'node:events';
import { catalogVersion } from '../../catalog/load.js';
import { inputError } from '../../errors.js';
import { toolVersion } from '../../tool-version.js';
import type { CollectContext } from '../call.js';
import { createAwsClients, destroyAwsClients } from '../clients.js';
import { mapLimit } from '../concurrency.js';
import { DEFAULT_POLL_INTERVAL_MS, DEFAULT_TIMEOUT_MS } from '../last-accessed.js';
import { runAccount, type AccountRun } from './run-account.js';
import { callerIdentity, checkAccountList, scopeAccounts, type Caller } from './scope.js';
import type { AccountRunEvent, AccountRunOptions } from './types.js';

/**
 * Report jobs in flight per account when the caller sets none. AWS publishes no limit on concurrent
 * GenerateServiceLastAccessedDetails jobs, nor IAM's request rates (its buckets are per account). A subject costs
 * about 2 calls spread over one job duration (0.3–6 s), so the window, not the rate, bounds a run until it holds
 * rate × duration ÷ 2 jobs: with 10, a 200-role account under a 20 calls/s bucket and 2 s jobs took 2.1× the floor the
 * bucket allows (bench/account.ts); with 32 the bucket is the bound, and the client's rate governor, which paces every
 * call of the account, keeps a larger window from turning into throttling. The window rolls (a slot frees as a job
 * ends), so a slow job holds one slot, not a batch.
 */
export const DEFAULT_REPORT_CONCURRENCY = 32;

/**
 * Accounts read at once. Each has its own clients and rate buckets, so the bound is about this process (sockets,
 * the listings held in memory, the caller's STS calls), not AWS.
 */
export const ACCOUNTS_IN_FLIGHT = 4;

/**
 * Collects every selected subject of one or more accounts: per account one GetAccountAuthorizationDetails listing
 * (./authorization-details.ts) gives every subject's policies, and only the report job is per subject
 * (../subject-report.ts), `concurrency` of them in a rolling window. Each subject's snapshot equals what
 * collectSnapshot would write for it, the report job's id and dates aside. Events go to `onEvent`, awaited; a failing
 * subject or account is an event, the others go on. Rejects only when the run cannot start (bad options, the
 * accounts cannot be listed) or `onEvent` throws; resolves once every started call has settled, even when aborted.
 */
export async function collectAccounts(options: AccountRunOptions): Promise<void> {
  const scope = options.scope ?? { kind: 'current' };
  const concurrency = options.concurrency ?? DEFAULT_REPORT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw inputError(`bad concurrency ${String(options.concurrency)}: expected a whole number of report jobs, 1 or more`);
  }
  if (scope.kind === 'list') checkAccountList(scope.ids);
  if (scope.kind !== 'current' && (options.assumeRoleName ?? '') === '') {
    throw inputError(`reading ${scope.kind === 'list' ? 'listed accounts' : 'an organization'} needs the role to assume in each (assumeRoleName)`);
  }
  // the caller's signal, and ours: a consumer that throws stops the run as an abort would
  const controller = new AbortController();
  // every report job in flight waits on it (its polls' sleeps, the SDK's requests): many listeners by design
  setMaxListeners(Infinity, controller.signal);
  const stop = (): void => controller.abort();
  options.signal?.addEventListener('abort', stop, { once: true });
  if (options.signal?.aborted === true) return;
  const home = await createAwsClients(options);
  const ctx: CollectContext = {
    clients: home,
    signal: controller.signal,
    ...(options.onApiCall ? { onApiCall: options.onApiCall } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  };
  let consumerError: { error: unknown } | undefined;
  const emit = async (event: AccountRunEvent): Promise<void> => {
    if (consumerError !== undefined) return;
    try {
      await options.onEvent(event);
    } catch (error) {
      consumerError = { error };
      controller.abort();
    }
  };
  try {
    let caller: Promise<Caller> | undefined;
    const callerOnce = (): Promise<Caller> => (caller ??= callerIdentity(ctx));
    const [accounts, tool, catalog] = await Promise.all([scopeAccounts(ctx, scope, callerOnce), toolVersion(), catalogVersion()]);
    const run: AccountRun = {
      options,
      home: ctx,
      assume: scope.kind === 'current' ? undefined : { roleName: options.assumeRoleName ?? '', externalId: options.externalId, caller: callerOnce },
      concurrency,
      wait: { timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS, pollIntervalMs: options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS },
      versions: { ToolVersion: tool, CatalogVersion: catalog },
      emit,
    };
    await mapLimit(accounts, ACCOUNTS_IN_FLIGHT, (account) => runAccount(run, account));
  } catch (error) {
    // aborted while the accounts were being listed: nothing started, nothing to report
    if (!controller.signal.aborted) throw error;
  } finally {
    options.signal?.removeEventListener('abort', stop);
    destroyAwsClients(home);
  }
  if (consumerError !== undefined) throw consumerError.error;
}
