/**
 * What the collector knows about the endpoint a call went to, kept beside the SDK's own errors: a network error
 * names no URL, and a reply that is not AWS's is best reported as such before the SDK tries to parse it.
 */
const failures = new WeakMap<object, { url: string; replyStarted: boolean }>();

/** the URL (scheme, host, port) the failed call was sent to, when it got as far as the network */
export function endpointOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? failures.get(error)?.url : undefined;
}

/** true when the failed call had received the reply's status and headers: a timeout then means the body stalled */
export function replyStarted(error: unknown): boolean {
  return typeof error === 'object' && error !== null && failures.get(error)?.replyStarted === true;
}

/** A reply that is not from the service's AWS protocol (XML or JSON): an HTML page, an empty or other body. */
export class NotAwsReplyError extends Error {
  override readonly name = 'NotAwsReply';
  /** read by the SDK's retry middleware: a 5xx page (a proxy's "bad gateway") is retried as a 5xx is */
  readonly $metadata: { httpStatusCode: number; attempts?: number };
  constructor(
    /** "an HTML page", "an empty reply", "a text/plain reply" */
    readonly sent: string,
    readonly status: number,
  ) {
    super(`the endpoint sent ${sent} (HTTP ${status}), not an AWS reply`);
    this.$metadata = { httpStatusCode: status };
  }
}

interface RawRequest {
  protocol?: string;
  hostname?: string;
  port?: number;
  path?: string;
}

interface RawResponse {
  statusCode: number;
  headers: Record<string, string | undefined>;
  body?: unknown;
}

type StreamCollector = (body: never) => Promise<Uint8Array>;

type Handler<A, R> = (args: A) => Promise<R>;

/** where checkEndpointReplies goes: next to the HTTP handler, inside the SDK's deserializer and retries */
export const ENDPOINT_CHECK = { step: 'deserialize', priority: 'low', name: 'leastprivCheckEndpointReplies' } as const;

/**
 * A middleware (ENDPOINT_CHECK) that records the endpoint of each failed attempt (and whether its reply had begun) and
 * checks that the reply is XML, as every IAM and STS reply is, errors included (JSON for Organizations, `protocol`
 * 'json'). `collect` is the client's streamCollector, to read a body that is not.
 */
export function checkEndpointReplies(collect: (body: never) => Promise<Uint8Array>, protocol: 'xml' | 'json' = 'xml') {
  return <A extends { request: unknown }, R extends { response: unknown }>(next: Handler<A, R>): Handler<A, R> =>
    async (args) => {
      const url = urlOf(args.request as RawRequest);
      let replyStarted = false;
      try {
        const result = await next(args);
        replyStarted = true;
        const response = result.response as RawResponse;
        const sent = protocol === 'xml' ? await notXml(response, collect) : await notJson(response, collect);
        if (sent !== undefined) throw new NotAwsReplyError(sent, response.statusCode);
        return result;
      } catch (error) {
        if (url !== undefined && typeof error === 'object' && error !== null) failures.set(error, { url, replyStarted });
        throw error;
      }
    };
}

function urlOf(request: RawRequest): string | undefined {
  if (request.hostname === undefined) return undefined;
  const port = request.port !== undefined ? `:${request.port}` : '';
  const path = request.path !== undefined && request.path !== '/' ? request.path : '';
  return `${request.protocol ?? 'https:'}//${request.hostname}${port}${path}`;
}

/**
 * undefined for an XML reply; otherwise what was sent instead. The body is read here, whatever its type, so that a
 * reply that stalls halfway fails inside this check, which names the endpoint; it is handed on as bytes, which the
 * SDK's deserializer takes as they are.
 */
async function notXml(response: RawResponse, collect: StreamCollector): Promise<string | undefined> {
  const bytes = response.body === undefined ? new Uint8Array() : await collect(response.body as never);
  response.body = bytes;
  const type = headerValue(response, 'content-type') ?? '';
  if (/xml/i.test(type)) return undefined;
  const start = new TextDecoder().decode(bytes.subarray(0, 512)).trimStart();
  if (/^<(!doctype\s+html|html)\b/i.test(start)) return 'an HTML page';
  // some servers label XML text/html or text/plain: what the body is decides
  if (start.startsWith('<')) return undefined;
  if (start === '') return 'an empty reply';
  return type !== '' ? `a ${type.split(';')[0]?.trim()} reply` : 'a reply that is not XML';
}

/** undefined for a JSON reply (AWS's JSON 1.1 protocol); otherwise what was sent instead */
async function notJson(response: RawResponse, collect: StreamCollector): Promise<string | undefined> {
  const bytes = response.body === undefined ? new Uint8Array() : await collect(response.body as never);
  response.body = bytes;
  const type = headerValue(response, 'content-type') ?? '';
  const start = new TextDecoder().decode(bytes.subarray(0, 512)).trimStart();
  if (/json/i.test(type) || start.startsWith('{')) return undefined;
  if (/^<(!doctype\s+html|html)\b/i.test(start)) return 'an HTML page';
  if (start === '') return 'an empty reply';
  return type !== '' ? `a ${type.split(';')[0]?.trim()} reply` : 'a reply that is not JSON';
}

function headerValue(response: RawResponse, name: string): string | undefined {
  const entry = Object.entries(response.headers).find(([key]) => key.toLowerCase() === name);
  return entry?.[1];
}
