import { inputError } from '../errors.js';
import { catalogVersion } from '../catalog/load.js';
import { SNAPSHOT_SCHEMA_VERSION, type Snapshot, type Subject, type SubjectReport } from '../snapshot/types.js';
import type { ApiCallEvent, CollectContext, CollectProgressEvent } from './call.js';
import { createAwsClients, destroyAwsClients, type AwsClients, type AwsConnectionOptions } from './clients.js';
import { DEFAULT_POLL_INTERVAL_MS, DEFAULT_TIMEOUT_MS, type LastAccessedOptions } from './last-accessed.js';
import { collectManagedPolicySubject } from './policy-subject.js';
import { collectPrincipalSubject } from './principal-subject.js';
import { parsePrincipalSelector, type PrincipalSelector } from './principal-ref.js';
import { collectOrganizationEntitySubject } from './org-entity-subject.js';
import { collectScpSubject } from './scp-subject.js';
import {
  parseManagedPolicySelector,
  parseOrganizationEntitySelector,
  parseScpSelector,
  type SubjectSelector,
} from './subject-ref.js';
import { toolVersion } from '../tool-version.js';

export interface CollectOptions extends AwsConnectionOptions {
  /** the role, user or group to collect; or give `subject` */
  principal?: PrincipalSelector;
  /**
   * what to collect: a principal, `{ type: 'managed-policy', arn }`, `{ type: 'scp', id }` or
   * `{ type: 'organization-entity', path }`; exactly one of `principal` and `subject`
   */
  subject?: SubjectSelector;
  /** bound on the wait for the report job (default 10 min); an Organizations report's turn to start included */
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

type CollectSubject = (ctx: CollectContext, options: LastAccessedOptions) => Promise<{ subject: Subject; report: SubjectReport }>;

/**
 * Reads one subject and its ACTION_LEVEL last-accessed report into a Snapshot: a principal with every policy that
 * applies to it and its permissions boundary (./principal-subject.ts), or a managed policy with the entities it is
 * attached to (./policy-subject.ts). Read-only (docs/required-permissions.json). Safe to run many at once on shared
 * clients. Every date comes from AWS; nothing in the snapshot depends on the local clock.
 */
export async function collectSnapshot(options: CollectOptions): Promise<Snapshot> {
  // the selector is checked before any client exists: a bad ARN costs no call
  const collect = subjectCollector(options);
  const clients = options.clients ?? (await createAwsClients(options));
  const controller = new AbortController();
  const ctx: CollectContext = {
    clients,
    signal: controller.signal,
    ...(options.onApiCall ? { onApiCall: options.onApiCall } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  };
  const wait = {
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    pollIntervalMs: options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
  };
  try {
    const [{ subject, report }, tool, catalog] = await Promise.all([collect(ctx, wait), toolVersion(), catalogVersion()]);
    return {
      schemaVersion: SNAPSHOT_SCHEMA_VERSION,
      subject,
      report,
      collection: { Source: 'aws', Region: clients.region, ToolVersion: tool, CatalogVersion: catalog },
    };
  } catch (error) {
    // stop the sibling branches (a poll can otherwise run on for minutes)
    controller.abort();
    throw error;
  } finally {
    if (options.clients === undefined) destroyAwsClients(clients);
  }
}

/** The validated selector's collection, bound to its ref. */
function subjectCollector(options: CollectOptions): CollectSubject {
  const selector = selectorOf(options);
  switch (selector.type) {
    case 'managed-policy': {
      const ref = parseManagedPolicySelector(selector);
      return (ctx, wait) => collectManagedPolicySubject(ctx, ref, wait);
    }
    case 'scp': {
      const ref = parseScpSelector(selector);
      return (ctx, wait) => collectScpSubject(ctx, ref, wait);
    }
    case 'organization-entity': {
      const ref = parseOrganizationEntitySelector(selector);
      return (ctx, wait) => collectOrganizationEntitySubject(ctx, ref, wait);
    }
    default: {
      const ref = parsePrincipalSelector(selector);
      return (ctx, wait) => collectPrincipalSubject(ctx, ref, wait);
    }
  }
}

function selectorOf(options: CollectOptions): SubjectSelector {
  const { principal, subject } = options;
  if ((principal === undefined) === (subject === undefined)) {
    throw inputError('name what to collect with `principal` or `subject` (exactly one of them)');
  }
  return (principal ?? subject) as SubjectSelector;
}
