import { IAMClient, type IAMClientConfig } from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { STSClient } from '@aws-sdk/client-sts';
import { chosenProfile, createCredentialTrail, explainMissingCredentials, type SdkLogger } from './credentials.js';
import { checkEndpointReplies, ENDPOINT_CHECK } from './endpoint.js';
import { DEFAULT_MAX_IN_FLIGHT, createRateGovernor, type RateGovernor } from './rate/governor.js';
import { GOVERN_ATTEMPTS, governAttempts } from './rate/middleware.js';
import { createRetryStrategy, THROTTLED_MAX_ATTEMPTS, type RetryMode } from './retry-strategy.js';

/** How to reach AWS, with the AWS CLI's conventions: anything left out comes from the SDK's default chains. */
export interface AwsConnectionOptions {
  /** AWS_REGION, AWS_DEFAULT_REGION (as the AWS CLI), the profile's region; IAM is global: us-east-1 when none */
  region?: string;
  /** a named profile (AWS_PROFILE otherwise) */
  profile?: string;
  /** --endpoint-url: applies to IAM, STS and Organizations alike (AWS_ENDPOINT_URL[_IAM|_STS|_ORGANIZATIONS] otherwise) */
  endpoint?: string;
  /** explicit credentials; the default credential chain otherwise */
  credentials?: IAMClientConfig['credentials'];
  /**
   * AWS_MAX_ATTEMPTS otherwise. Given, it bounds every call's attempts, throttled or not; absent, a call makes up to
   * DEFAULT_MAX_ATTEMPTS for a 5xx or a reset and THROTTLED_MAX_ATTEMPTS ('governed' mode) when throttled.
   */
  maxAttempts?: number;
  /** AWS_RETRY_MODE otherwise, then 'governed'; 'adaptive' and 'standard' are the SDK's own, without the governor */
  retryMode?: RetryMode;
  /** 'governed' mode: attempts out at once across the three clients; default DEFAULT_MAX_IN_FLIGHT */
  maxCallsInFlight?: number;
  /** called once per throttled attempt that will be retried (an account-wide run counts them in its status line) */
  onThrottledRetry?: () => void;
  /** how long one attempt may wait to connect and for the reply to begin (CONNECT_TIMEOUT_MS, REPLY_TIMEOUT_MS) */
  networkTimeouts?: { connectMs?: number; replyMs?: number };
  /** receives the SDK's log lines and warnings (the CLI prints each warning as one line); the SDK's defaults otherwise */
  logger?: SdkLogger;
}

/** The SDK clients one process shares across every principal it collects (they are safe for concurrent use). */
export interface AwsClients {
  iam: IAMClient;
  sts: STSClient;
  /** Organizations (a global service, as IAM): throttles with TooManyRequestsException, retried as IAM's Throttling */
  organizations: OrganizationsClient;
  /** the region the clients resolved, recorded in the snapshot */
  region: string;
  /** why the default credential chain found nothing, in one line (set by createAwsClients) */
  explainMissingCredentials?: () => Promise<string>;
  /** the governor pacing every attempt of the three clients ('governed' mode) */
  governor?: RateGovernor;
}

/**
 * Attempts of a call failing with a 5xx or a reset (throttling: THROTTLED_MAX_ATTEMPTS in 'governed' mode, this in
 * the SDK's modes). An endpoint where nothing answers gets far fewer (UNREACHABLE_MAX_ATTEMPTS, SILENT_MAX_ATTEMPTS:
 * src/collect/retry-strategy.ts).
 */
export const DEFAULT_MAX_ATTEMPTS = 12;
const FALLBACK_REGION = 'us-east-1';
/**
 * IAM answers in well under a second, and its slowest replies (a 1,000-item report page) begin within a few seconds.
 * Past these an attempt counts as silent: retried once (SILENT_MAX_ATTEMPTS), so a silent endpoint fails in ~20 s.
 */
export const CONNECT_TIMEOUT_MS = 5_000;
export const REPLY_TIMEOUT_MS = 10_000;

export async function createAwsClients(options: AwsConnectionOptions = {}): Promise<AwsClients> {
  const chosenMaxAttempts = options.maxAttempts ?? envPositiveInt('AWS_MAX_ATTEMPTS');
  const retry = {
    maxAttempts: chosenMaxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    retryMode: options.retryMode ?? envRetryMode() ?? 'governed',
  } as const;
  const strategy = {
    ...retry,
    throttledMaxAttempts: chosenMaxAttempts ?? THROTTLED_MAX_ATTEMPTS,
    ...(options.onThrottledRetry !== undefined ? { onThrottledRetry: options.onThrottledRetry } : {}),
  };
  const replyMs = options.networkTimeouts?.replyMs ?? REPLY_TIMEOUT_MS;
  const trail = options.credentials === undefined ? createCredentialTrail(options.logger) : undefined;
  const common = {
    ...(options.profile !== undefined ? { profile: options.profile } : {}),
    ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
    ...(options.credentials !== undefined ? { credentials: options.credentials } : {}),
    ...(trail !== undefined ? { logger: trail.logger } : options.logger !== undefined ? { logger: options.logger } : {}),
    ...retry,
    // the SDK waits forever for a reply by default: a silent endpoint must end in an error (retried first, once)
    requestHandler: {
      connectionTimeout: options.networkTimeouts?.connectMs ?? CONNECT_TIMEOUT_MS,
      requestTimeout: replyMs,
      // a reply that stops halfway is as silent as one that never starts
      socketTimeout: replyMs,
      throwOnRequestTimeout: true,
    },
  };
  const region =
    options.region ?? envNonEmpty('AWS_REGION') ?? envNonEmpty('AWS_DEFAULT_REGION') ?? (await configuredRegion(common.profile));
  // one strategy per client, as the SDK would make (each keeps its own retry capacity, and in the SDK's adaptive mode
  // its own rate); the governor is one for the three: AWS counts an account's calls together
  const iam = new IAMClient({ ...common, region, retryStrategy: createRetryStrategy(strategy) });
  const sts = new STSClient({ ...common, region, retryStrategy: createRetryStrategy(strategy) });
  const organizations = new OrganizationsClient({ ...common, region, retryStrategy: createRetryStrategy(strategy) });
  iam.middlewareStack.add(checkEndpointReplies(iam.config.streamCollector), ENDPOINT_CHECK);
  sts.middlewareStack.add(checkEndpointReplies(sts.config.streamCollector), ENDPOINT_CHECK);
  organizations.middlewareStack.add(checkEndpointReplies(organizations.config.streamCollector, 'json'), ENDPOINT_CHECK);
  const governor =
    retry.retryMode === 'governed' ? createRateGovernor({ maxInFlight: options.maxCallsInFlight ?? DEFAULT_MAX_IN_FLIGHT }) : undefined;
  if (governor !== undefined) {
    iam.middlewareStack.addRelativeTo(governAttempts(governor, 'iam'), GOVERN_ATTEMPTS);
    sts.middlewareStack.addRelativeTo(governAttempts(governor, 'sts'), GOVERN_ATTEMPTS);
    organizations.middlewareStack.addRelativeTo(governAttempts(governor, 'organizations'), GOVERN_ATTEMPTS);
  }
  return {
    ...(governor !== undefined ? { governor } : {}),
    iam,
    sts,
    organizations,
    region,
    ...(trail !== undefined
      ? { explainMissingCredentials: () => explainMissingCredentials(chosenProfile(options.profile), trail.failures()) }
      : {}),
  };
}

export function destroyAwsClients(clients: AwsClients): void {
  clients.iam.destroy();
  clients.sts.destroy();
  clients.organizations.destroy();
}

/** The region the SDK would pick (env, then profile); IAM does not need one, so fall back instead of failing. */
async function configuredRegion(profile: string | undefined): Promise<string> {
  const probe = new IAMClient(profile !== undefined ? { profile } : {});
  try {
    return await probe.config.region();
  } catch {
    return FALLBACK_REGION;
  } finally {
    probe.destroy();
  }
}

function envNonEmpty(name: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : value;
}

function envPositiveInt(name: string): number | undefined {
  const n = Number(process.env[name]);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

function envRetryMode(): RetryMode | undefined {
  const mode = process.env.AWS_RETRY_MODE;
  return mode === 'governed' || mode === 'adaptive' || mode === 'standard' ? mode : undefined;
}
