import type { CollectorAction } from './actions.js';
import { classifyAwsError, type FailedCall } from './aws-errors.js';
import type { AwsClients } from './clients.js';

/** One API call as it happened, for callers that count or log calls (the benchmark does). */
export interface ApiCallEvent {
  action: CollectorAction;
  /** HTTP attempts the SDK made, retries included */
  attempts: number;
  outcome: 'ok' | 'error';
}

/** What every collector step needs: the shared clients, the run's abort signal, and the call observer. */
export interface CollectContext {
  clients: AwsClients;
  /** aborted when another branch of the same collection failed, so nothing keeps polling in the background */
  signal: AbortSignal;
  onApiCall?: (event: ApiCallEvent) => void;
  onProgress?: (event: CollectProgressEvent) => void;
}

/**
 * The long waits of a collection as they happen, for a caller that shows them (the CLI draws one status line on a
 * terminal): the report job, and an Organizations report waiting for its turn to be generated.
 */
export type CollectProgressEvent =
  | { kind: 'report-wait-started'; arn: string; jobId: string }
  /** a poll answered IN_PROGRESS: `polls` so far */
  | { kind: 'report-polled'; arn: string; jobId: string; polls: number }
  /** the wait is over, whatever ended it (completed, failed, timed out, aborted) */
  | { kind: 'report-wait-ended'; arn: string; jobId: string }
  /** Organizations refused to start the report (another one is being generated): `waits` retries so far */
  | { kind: 'report-generation-waiting'; arn: string; waits: number };

export type CallSpec = FailedCall;

interface MetadataBearer {
  $metadata?: { attempts?: number };
}

/**
 * The only way the collector talks to AWS: sends one command, reports it, and turns any SDK error into a one-line
 * LeastprivError naming the IAM action. `send` receives the clients and the abort options to pass to `client.send`.
 */
export async function awsCall<T>(
  ctx: CollectContext,
  spec: CallSpec,
  send: (clients: AwsClients, options: { abortSignal: AbortSignal }) => Promise<T>,
): Promise<T> {
  try {
    const output = await send(ctx.clients, { abortSignal: ctx.signal });
    ctx.onApiCall?.({ action: spec.action, attempts: (output as MetadataBearer).$metadata?.attempts ?? 1, outcome: 'ok' });
    return output;
  } catch (error) {
    const attempts = (error as MetadataBearer | undefined)?.$metadata?.attempts ?? 1;
    ctx.onApiCall?.({ action: spec.action, attempts, outcome: 'error' });
    // a branch aborted because a sibling failed: the sibling's error is the one to report
    if (ctx.signal.aborted) throw error;
    const explain = ctx.clients.explainMissingCredentials;
    throw await classifyAwsError(error, explain !== undefined ? { ...spec, noCredentials: explain } : spec);
  }
}
