import { awsError, isLeastprivError, type LeastprivError } from '../errors.js';
import type { CollectorAction } from './actions.js';

/** What the collector was doing when AWS answered with an error: enough to name it in one line. */
export interface FailedCall {
  action: CollectorAction;
  /** the ARN (or name) the call was about */
  resource: string;
  /** the message for NoSuchEntity, when the call can say what is missing better than the generic line */
  notFound?: () => Promise<string> | string;
}

const ACCESS_DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'UnauthorizedAccess']);
const THROTTLED = new Set(['Throttling', 'ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded']);
const BAD_CREDENTIALS = new Set([
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'InvalidAccessKeyId',
]);
/** Node error codes that mean nothing answers at the address (no listener, no such host, no route): retried briefly */
export const UNREACHABLE_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH']);
/** every network failure named as one; the transient ones (a reset, a timeout, a resolver hiccup) get every retry */
const NETWORK_CODES = new Set([...UNREACHABLE_CODES, 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT']);

interface SdkErrorShape {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

/** Classifies an SDK error by its name (as iam-collect does) into one LeastprivError line naming the IAM action. */
export async function classifyAwsError(error: unknown, call: FailedCall): Promise<LeastprivError> {
  if (isLeastprivError(error)) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  const name = typeof e.name === 'string' ? e.name : 'Error';
  const message = oneLine(typeof e.message === 'string' ? e.message : String(error));
  const attempts = e.$metadata?.attempts;
  const status = e.$metadata?.httpStatusCode;

  if (ACCESS_DENIED.has(name)) {
    return awsError(
      `access denied: the caller lacks ${call.action} (on ${call.resource}). See docs/required-permissions.json`,
      error,
    );
  }
  if (name === 'NoSuchEntity' || name === 'NoSuchEntityException') {
    return awsError(call.notFound ? await call.notFound() : `${call.resource} not found (${call.action}: NoSuchEntity)`, error);
  }
  if (THROTTLED.has(name)) {
    return awsError(
      `AWS kept throttling ${call.action} after ${attempts ?? 'several'} attempts; retry later or raise AWS_MAX_ATTEMPTS`,
      error,
    );
  }
  if (name === 'CredentialsProviderError') {
    return awsError(`no AWS credentials found (use --profile, AWS_PROFILE or the default credential chain): ${message}`, error);
  }
  if (BAD_CREDENTIALS.has(name)) {
    return awsError(`AWS rejected the credentials for ${call.action} (${name}): ${message}`, error);
  }
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) {
    return awsError(`cannot reach AWS for ${call.action} (${e.code}): check --endpoint-url, --region and the network`, error);
  }
  if (status !== undefined && status >= 500) {
    return awsError(
      `${call.action} failed on the AWS side after ${attempts ?? 'several'} attempts (${name}, HTTP ${status}): ${message}`,
      error,
    );
  }
  return awsError(`${call.action} failed (${name}): ${message}`, error);
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
