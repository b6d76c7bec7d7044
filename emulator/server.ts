import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Catalog } from '../src/catalog/catalog.js';
import { loadCatalog } from '../src/catalog/load.js';
import { buildAccounts, removeEntity, type Account, type Caller } from './account.js';
import { ApiError } from './api-error.js';
import type { OrganizationsReport, QueryContext, QueryHandler, ServiceReport } from './context.js';
import { apiFamily, faultDecider, TokenBuckets, type FaultDecision, type FaultOptions } from './faults.js';
import type { EmulatorFixture } from './fixture-types.js';
import { validateFixture } from './fixture.js';
import { accountHandlers } from './iam-account.js';
import { entityHandlers, resourceOf } from './iam-entities.js';
import { policyHandlers } from './iam-policies.js';
import { reportHandlers } from './iam-reports.js';
import { deterministicUuid, JobStore } from './jobs.js';
import { organizationsHandlers } from './organizations.js';
import { orgTree } from './org-tree.js';
import { stsHandlers } from './sts.js';
import { SessionStore } from './sessions.js';
import { queryError, queryResponse } from './xml.js';

const IAM_HANDLERS: Record<string, QueryHandler> = { ...entityHandlers, ...policyHandlers, ...accountHandlers, ...reportHandlers };
export const IAM_OPERATIONS = Object.keys(IAM_HANDLERS);
export const STS_OPERATIONS = Object.keys(stsHandlers);
export const ORGANIZATIONS_OPERATIONS = Object.keys(organizationsHandlers);

export interface EmulatorOptions {
  /** an EmulatorFixture, or any parsed JSON: it is validated against schemas/emulator-fixture.schema.json */
  fixture: EmulatorFixture | unknown;
  /** 0 or absent: a free port */
  port?: number;
  host?: '127.0.0.1';
  /** page-size cap for every paginated operation, or per operation name ("GetServiceLastAccessedDetails": 1) */
  pageSize?: number | Partial<Record<string, number>>;
  faults?: FaultOptions;
  /** the action catalog; default loadCatalog() */
  catalog?: Catalog;
  /**
   * Test hook, called before each request is answered (before any injected fault): what is asked, and of which
   * account (the caller's). A test may change the emulator from here, e.g. deleteEntity when a report is generated.
   */
  onRequest?: (info: RequestInfo) => void;
}

export interface RequestInfo {
  operation: string;
  /** the account id the request is served from */
  account: string;
  /** Query protocol: the form parameters; Organizations (JSON): the parsed body */
  params: URLSearchParams | Record<string, unknown>;
}

export interface EmulatorStats {
  /** requests per operation name, faulted ones included */
  calls: Record<string, number>;
  throttled: number;
  serverErrors: number;
}

export interface RunningEmulator {
  /** http://127.0.0.1:PORT — give it to the SDK as `endpoint` (IAM, STS and Organizations share it) */
  endpoint: string;
  stop(): Promise<void>;
  stats(): EmulatorStats;
  /**
   * Completes every report job still IN_PROGRESS now, whatever jobCompletionMs says: with a long jobCompletionMs a
   * test sees IN_PROGRESS for sure, then calls this to see the outcome, with no timing involved.
   */
  completeJobs(): void;
  /**
   * A role, user or group (home or member account) disappears, as after an IAM delete: the Get and List operations no longer show it,
   * a report generated on it is NoSuchEntity, its attachments and boundary no longer count. Throws when no principal
   * has the ARN.
   */
  deleteEntity(arn: string): void;
}

const IAM_NS = 'https://iam.amazonaws.com/doc/2010-05-08/';
const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const ORGANIZATIONS_TARGET = 'AWSOrganizationsV20161128.';
const QUERY_SERVICES: Record<string, { prefix: string; namespace: string; handlers: Record<string, QueryHandler> }> = {
  '2010-05-08': { prefix: 'iam', namespace: IAM_NS, handlers: IAM_HANDLERS },
  '2011-06-15': { prefix: 'sts', namespace: STS_NS, handlers: stsHandlers },
};
/** operations AWS answers without any permission */
const NEVER_DENIED = new Set(['sts:getcalleridentity']);

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** the access key id of a SigV4 Authorization header; the signature itself is not checked */
function accessKeyId(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization ?? '';
  return /Credential=([^/,\s]+)\//.exec(auth)?.[1];
}

function accessDenied(caller: Caller, action: string, resource: string): ApiError {
  return new ApiError(
    'AccessDenied',
    403,
    `User: ${caller.arn} is not authorized to perform: ${action} on resource: ${resource} ` +
      `because no identity-based policy allows the ${action} action`,
  );
}

/** the caller's blanket denials, then its per-resource ones (the resource is what the AccessDenied message names) */
function refuseIfDenied(ctx: QueryContext, action: string): void {
  const lower = action.toLowerCase();
  if (NEVER_DENIED.has(lower)) return;
  if (ctx.caller.denied.has(lower)) throw accessDenied(ctx.caller, action, resourceOf(ctx));
  if (ctx.caller.deniedOn.length === 0) return;
  const resource = resourceOf(ctx);
  if (ctx.caller.deniedOn.some((d) => d.action === lower && d.resource === resource)) throw accessDenied(ctx.caller, action, resource);
}

export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const fixture = validateFixture(options.fixture);
  const accounts = buildAccounts(fixture);
  const home = accounts.get(fixture.accountId) as Account;
  // the organization's references (parents, SCP targets) are checked at start, like the account's
  if (fixture.organization) orgTree(fixture.organization, home.id);
  const catalog = options.catalog ?? (await loadCatalog());
  const faults = options.faults ?? {};
  const seed = faults.seed ?? 1;
  const completionMs = faults.jobCompletionMs ?? 300;
  const serviceJobs = new JobStore<ServiceReport>({ seed, prefix: 'service', now: home.now, completionMs });
  const organizationsJobs = new JobStore<OrganizationsReport>({ seed, prefix: 'orgs', now: home.now, completionMs });
  const sessions = new SessionStore(seed);
  const decideFault = faultDecider(faults);
  const buckets = faults.tokenBucket !== undefined ? new TokenBuckets(faults.tokenBucket) : undefined;
  /** the random decision (always drawn, so the pattern does not depend on the buckets), then the bucket's */
  const faultFor = (req: IncomingMessage, service: 'iam' | 'sts' | 'organizations', operation: string): FaultDecision => {
    const random = decideFault();
    // the bucket of the account the request is served from
    const empty = buckets !== undefined && !buckets.take(callerOf(req).account, apiFamily(service, operation));
    return empty ? { kind: 'throttle' } : random;
  };
  const stats: EmulatorStats = { calls: {}, throttled: 0, serverErrors: 0 };
  let requestCounter = 0;

  const pageSizeOf = (operation: string): number | undefined =>
    typeof options.pageSize === 'number' ? options.pageSize : options.pageSize?.[operation];

  const callerOf = (req: IncomingMessage): Caller => {
    const key = accessKeyId(req);
    if (key === undefined) return home.defaultCaller;
    return sessions.callerOf(key) ?? home.callers.get(key) ?? home.defaultCaller;
  };
  /** a caller is served from its own account when the emulator has it (an assumed role's), else from the home one */
  const accountOf = (caller: Caller): Account => accounts.get(caller.account) ?? home;

  const send = (res: ServerResponse, status: number, contentType: string, body: string, requestId: string): void => {
    res.writeHead(status, {
      'content-type': contentType,
      'content-length': Buffer.byteLength(body),
      'x-amzn-requestid': requestId,
    });
    res.end(body);
  };

  const injected = (fault: FaultDecision): ApiError | undefined => {
    if (fault.kind === 'throttle') {
      stats.throttled++;
      return new ApiError('Throttling', 400, 'Rate exceeded');
    }
    if (fault.kind === 'server-error') {
      stats.serverErrors++;
      return fault.status === 500
        ? new ApiError('ServiceFailure', 500, 'The request processing has failed because of an unknown error.')
        : new ApiError('ServiceUnavailable', 503, 'Service is unavailable, please try again later.');
    }
    return undefined;
  };

  const handleQuery = (req: IncomingMessage, body: string, requestId: string, res: ServerResponse): void => {
    const params = new URLSearchParams(body);
    const operation = params.get('Action') ?? '';
    const version = params.get('Version') ?? '';
    const service = QUERY_SERVICES[version];
    const namespace = service?.namespace ?? IAM_NS;
    const fail = (e: ApiError): void =>
      send(res, e.status, 'text/xml', queryError({ namespace, type: e.type, code: e.code, message: e.message, requestId }), requestId);
    stats.calls[operation] = (stats.calls[operation] ?? 0) + 1;
    const caller = callerOf(req);
    const account = accountOf(caller);
    options.onRequest?.({ operation, account: account.id, params });
    const fault = injected(faultFor(req, service?.prefix === 'sts' ? 'sts' : 'iam', operation));
    if (fault) return fail(fault);
    if (!service) return fail(new ApiError('InvalidParameterValue', 400, `Unsupported or missing Version: ${version}`));
    const handler = Object.hasOwn(service.handlers, operation) ? service.handlers[operation] : undefined;
    if (!handler) return fail(new ApiError('InvalidAction', 400, `Could not find operation ${operation} for version ${version}`));
    const ctx: QueryContext = {
      operation,
      params,
      caller,
      account,
      accounts,
      sessions,
      catalog,
      serviceJobs,
      organizationsJobs,
      pageSize: pageSizeOf(operation),
      faults,
    };
    try {
      const action = `${service.prefix}:${operation}`;
      refuseIfDenied(ctx, action);
      const result = handler(ctx);
      send(res, 200, 'text/xml', queryResponse({ action: operation, namespace, result, requestId }), requestId);
    } catch (e) {
      if (e instanceof ApiError) return fail(e);
      fail(new ApiError('ServiceFailure', 500, `emulator bug: ${(e as Error).message}`));
    }
  };

  const handleJson = (req: IncomingMessage, body: string, target: string, requestId: string, res: ServerResponse): void => {
    const operation = target.slice(ORGANIZATIONS_TARGET.length);
    const fail = (e: ApiError): void =>
      send(res, e.status, 'application/x-amz-json-1.1', JSON.stringify({ __type: e.code, Message: e.message }), requestId);
    stats.calls[operation] = (stats.calls[operation] ?? 0) + 1;
    if (options.onRequest) {
      let input: Record<string, unknown> = {};
      try {
        input = body.trim() === '' ? {} : (JSON.parse(body) as Record<string, unknown>);
      } catch {
        // a malformed body is answered below; the hook sees it as empty
      }
      options.onRequest({ operation, account: accountOf(callerOf(req)).id, params: input });
    }
    const fault = injected(faultFor(req, 'organizations', operation));
    if (fault) {
      // Organizations' model names these differently from IAM's, with its own statuses
      return fail(
        fault.code === 'Throttling'
          ? new ApiError('TooManyRequestsException', 429, fault.message)
          : new ApiError('ServiceException', 500, fault.message),
      );
    }
    const handler = target.startsWith(ORGANIZATIONS_TARGET) && Object.hasOwn(organizationsHandlers, operation)
      ? organizationsHandlers[operation]
      : undefined;
    if (!handler) return fail(new ApiError('UnknownOperationException', 400, `Unknown operation ${target}`));
    try {
      const caller = callerOf(req);
      const action = `organizations:${operation}`;
      if (caller.denied.has(action.toLowerCase())) {
        throw new ApiError('AccessDeniedException', 403, accessDenied(caller, action, '*').message);
      }
      let input: Record<string, unknown> = {};
      if (body.trim() !== '') input = JSON.parse(body) as Record<string, unknown>;
      // the organization lives in the home (management) account, whoever asks
      const out = handler(input, home, pageSizeOf(operation));
      send(res, 200, 'application/x-amz-json-1.1', JSON.stringify(out), requestId);
    } catch (e) {
      if (e instanceof ApiError) return fail(e);
      if (e instanceof SyntaxError) return fail(new ApiError('SerializationException', 400, 'Malformed JSON body'));
      fail(new ApiError('ServiceException', 500, `emulator bug: ${(e as Error).message}`));
    }
  };

  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      requestCounter++;
      const requestId = deterministicUuid(`request:${seed}:${requestCounter}`);
      if (faults.latencyMs) await new Promise((r) => setTimeout(r, faults.latencyMs));
      const target = req.headers['x-amz-target'];
      if (typeof target === 'string') handleJson(req, body, target, requestId, res);
      else handleQuery(req, req.method === 'GET' ? (req.url ?? '').replace(/^[^?]*\??/, '') : body, requestId, res);
    })().catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(e));
    });
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${host}:${port}`,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
    stats: () => ({ calls: { ...stats.calls }, throttled: stats.throttled, serverErrors: stats.serverErrors }),
    completeJobs: () => {
      serviceJobs.completeAll();
      organizationsJobs.completeAll();
    },
    deleteEntity: (arn) => {
      const gone = [...accounts.values()].some((a) => removeEntity(a, arn));
      if (!gone) throw new Error(`deleteEntity: no role, user or group has the ARN ${arn}`);
    },
  };
}
