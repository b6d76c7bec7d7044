import { awsError, isLeastprivError, type LeastprivError } from '../errors.js';
import type { CollectorAction } from './actions.js';
import { endpointOf, NotAwsReplyError, replyStarted } from './endpoint.js';

/** What the collector was doing when AWS answered with an error: enough to name it in one line. */
export interface FailedCall {
  action: CollectorAction;
  /** the ARN (or name) the call was about */
  resource: string;
  /** the message for NoSuchEntity, when the call can say what is missing better than the generic line */
  notFound?: () => Promise<string> | string;
  /** why the credential chain found nothing (src/collect/credentials.ts), when the clients can tell */
  noCredentials?: () => Promise<string>;
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
/** Organizations' not-found exceptions: as IAM's NoSuchEntity, the call's own words say what is missing */
const ORGANIZATIONS_NOT_FOUND = new Set([
  'PolicyNotFoundException',
  'ChildNotFoundException',
  'ParentNotFoundException',
  'TargetNotFoundException',
  'AccountNotFoundException',
  'OrganizationalUnitNotFoundException',
]);
/** Organizations data and its access reports are readable only from one place */
const ORGANIZATION_CREDENTIALS =
  "use the organization's management-account credentials, or a delegated administrator's (docs/collect.md)";

function isOrganizationsCall(action: CollectorAction): boolean {
  return action.startsWith('organizations:') || action.endsWith('OrganizationsAccessReport');
}

/** Node error codes that mean nothing answers at the address (no listener, no such host, no resolver, no route) */
export const UNREACHABLE_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** What happened, for each network failure named by its code, and what to check first. */
const NETWORK_FAILURES: Record<string, { what: string; check: string }> = {
  ECONNREFUSED: { what: 'connection refused', check: '--endpoint-url and the network' },
  ENOTFOUND: { what: 'its host name does not resolve', check: '--endpoint-url, --region and DNS' },
  EAI_AGAIN: { what: 'the DNS resolver did not answer', check: 'the network and DNS' },
  EHOSTUNREACH: { what: 'no route to the host', check: 'the network, a VPN or a proxy' },
  ENETUNREACH: { what: 'no route to the network', check: 'the network, a VPN or a proxy' },
  ECONNRESET: { what: 'the connection was reset', check: 'the network and any proxy or firewall in between' },
  EPIPE: { what: 'the connection was closed while sending', check: 'the network and any proxy or firewall in between' },
};
const SILENT_CHECK = '--endpoint-url, the network and any proxy or firewall in between';

interface SdkErrorShape {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  syscall?: unknown;
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

  if (name === 'AWSOrganizationsNotInUseException') {
    return awsError(`${call.action}: the credentials' account is not in an organization; ${ORGANIZATION_CREDENTIALS}`, error);
  }
  if (ACCESS_DENIED.has(name) && isOrganizationsCall(call.action)) {
    return awsError(`access denied: the caller lacks ${call.action} (on ${call.resource}); ${ORGANIZATION_CREDENTIALS}`, error);
  }
  // STS answers AccessDenied alike for a missing role, a trust policy that leaves the caller out and a wrong external
  // id: the usual cause is the target account's role, not the caller's own permissions
  if (ACCESS_DENIED.has(name) && call.action === 'sts:AssumeRole') {
    return awsError(
      `cannot assume ${call.resource} (AccessDenied): the role is missing in that account, its trust policy does not ` +
        'allow the caller (or asks for another --external-id), or the caller lacks sts:AssumeRole',
      error,
    );
  }
  if (ACCESS_DENIED.has(name)) {
    return awsError(
      `access denied: the caller lacks ${call.action} (on ${call.resource}). See docs/required-permissions.json`,
      error,
    );
  }
  if (name === 'NoSuchEntity' || name === 'NoSuchEntityException' || ORGANIZATIONS_NOT_FOUND.has(name)) {
    return awsError(call.notFound ? await call.notFound() : `${call.resource} not found (${call.action}: NoSuchEntity)`, error);
  }
  if (THROTTLED.has(name)) {
    return awsError(
      `AWS kept throttling ${call.action} after ${attempts ?? 'several'} attempts; retry later or raise AWS_MAX_ATTEMPTS`,
      error,
    );
  }
  if (name === 'CredentialsProviderError') {
    const why = call.noCredentials
      ? await call.noCredentials()
      : `no AWS credentials found (use --profile, AWS_PROFILE or the default credential chain): ${message}`;
    return awsError(why, error);
  }
  if (BAD_CREDENTIALS.has(name)) {
    return awsError(`AWS rejected the credentials for ${call.action} (${name}): ${message}`, error);
  }
  const notAws = notAwsMessage(error, call);
  if (notAws !== undefined) return awsError(notAws, error);
  const network = networkMessage(e, call, attempts);
  if (network !== undefined) return awsError(network, error);
  if (status !== undefined && status >= 500) {
    return awsError(
      `${call.action} failed on the AWS side after ${attempts ?? 'several'} attempts (${name}, HTTP ${status}): ${message}`,
      error,
    );
  }
  return awsError(`${call.action} failed (${name}): ${message}`, error);
}

/** "the endpoint URL did not answer as AWS IAM does (…)": a web page, or a plain-HTTP port named https:// */
function notAwsMessage(error: unknown, call: FailedCall): string | undefined {
  const why = notAwsReason(error);
  if (why === undefined) return undefined;
  const url = endpointOf(error) ?? `of ${serviceOf(call)}`;
  return `the endpoint ${url} did not answer as ${serviceOf(call)} does (${why}) for ${call.action}: check --endpoint-url`;
}

function notAwsReason(error: unknown): string | undefined {
  if (error instanceof NotAwsReplyError) {
    const attempts = error.$metadata.attempts ?? 1;
    return `it sent ${error.sent}, HTTP ${error.status}${attempts > 1 ? `, ${attempts} attempts` : ''}`;
  }
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code !== 'string' || (code !== 'EPROTO' && !code.startsWith('ERR_SSL_'))) return undefined;
  // OpenSSL reading a plain-HTTP reply as a TLS record
  return /wrong version number|packet length too long|http request/i.test(String(message))
    ? 'not TLS: is it http://?'
    : `the TLS handshake failed, ${code}`;
}

/** "cannot reach AWS IAM at URL for ACTION: what happened (code, attempts); check …" */
function networkMessage(e: SdkErrorShape, call: FailedCall, attempts: number | undefined): string | undefined {
  const failure = networkFailure(e, replyStarted(e));
  if (failure === undefined) return undefined;
  const url = endpointOf(e);
  const n = attempts ?? 1;
  const tries = `${n} ${n === 1 ? 'attempt' : 'attempts'}`;
  const code = failure.code !== undefined ? `${failure.code}, ` : '';
  return `cannot reach ${serviceOf(call)}${url !== undefined ? ` at ${url}` : ''} for ${call.action}: ${failure.what} (${code}${tries}); check ${failure.check}`;
}

function networkFailure(e: SdkErrorShape, stalled: boolean): { what: string; check: string; code?: string } | undefined {
  const code = typeof e.code === 'string' ? e.code : undefined;
  const known = code !== undefined ? NETWORK_FAILURES[code] : undefined;
  if (known !== undefined) return { ...known, code };
  if (e.name !== 'TimeoutError' && code !== 'ETIMEDOUT') return undefined;
  // the HTTP handler's timeouts say which one ran out, and after how long
  const text = typeof e.message === 'string' ? e.message : '';
  const ms = /(\d+) ?ms/.exec(text)?.[1];
  const took = (word: string): string => (ms !== undefined ? ` ${word} ${formatMs(Number(ms))}` : '');
  const connecting = /establish a connection/.test(text) || e.syscall === 'connect';
  // once the status and headers came, the silence is in the middle of the body
  const what = connecting
    ? `no connection${took('within')}`
    : stalled
      ? `connected, but the reply stalled${took('for')}`
      : `connected, but no reply${took('within')}`;
  return { what, check: SILENT_CHECK };
}

function serviceOf(call: FailedCall): string {
  return `AWS ${call.action.slice(0, call.action.indexOf(':')).toUpperCase()}`;
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${ms / 1000} s`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
