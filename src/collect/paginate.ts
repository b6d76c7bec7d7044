import { awsError } from '../errors.js';
import { awsCall, type CallSpec, type CollectContext } from './call.js';
import type { AwsClients } from './clients.js';

/** IAM's pagination: a page says IsTruncated and hands a Marker for the next one. */
export interface MarkerPage {
  IsTruncated?: boolean;
  Marker?: string;
  $metadata?: { attempts?: number };
}

export type FetchPage<P extends MarkerPage> = (
  marker: string | undefined,
  clients: AwsClients,
  options: { abortSignal: AbortSignal },
) => Promise<P>;

type ItemOf<A> = NonNullable<A> extends readonly (infer E)[] ? E : never;

/** Page size asked of every list: IAM's maximum. IAM may return fewer while more remain, so we loop on IsTruncated. */
export const MAX_ITEMS = 1000;

/** Follows IsTruncated/Marker until the last page; `first` is a page already fetched (the poller's COMPLETED reply). */
export async function followMarkers<P extends MarkerPage>(
  ctx: CollectContext,
  spec: CallSpec,
  fetch: FetchPage<P>,
  first?: P,
): Promise<P[]> {
  const pages: P[] = [first ?? (await awsCall(ctx, spec, (clients, o) => fetch(undefined, clients, o)))];
  const seen = new Set<string>();
  for (let page = pages[0]; page?.IsTruncated === true; ) {
    const marker = page.Marker;
    // a truncated page without a new Marker would loop forever: say so instead
    if (marker === undefined || marker === '' || seen.has(marker)) {
      throw awsError(`${spec.action} reported more results for ${spec.resource} but no new Marker to fetch them`);
    }
    seen.add(marker);
    page = await awsCall(ctx, spec, (clients, o) => fetch(marker, clients, o));
    pages.push(page);
  }
  return pages;
}

/** The typed paginator every list goes through: all pages, then the items under `key`, in API order. */
export async function paginate<K extends string, P extends MarkerPage & Partial<Record<K, readonly unknown[]>>>(
  ctx: CollectContext,
  spec: CallSpec,
  fetch: FetchPage<P>,
  key: K,
): Promise<ItemOf<P[K]>[]> {
  const pages = await followMarkers(ctx, spec, fetch);
  return pages.flatMap((page) => (page[key] ?? []) as ItemOf<P[K]>[]);
}

/** Organizations' pagination: a page hands a NextToken while more remain (it may be short, or even empty, meanwhile). */
export interface TokenPage {
  NextToken?: string;
  $metadata?: { attempts?: number };
}

/** Organizations' maximum MaxResults for its list operations */
export const MAX_RESULTS = 20;

/** Follows NextToken until a page comes without one; the items under `key` of every page, in API order. */
export async function paginateTokens<K extends string, P extends TokenPage & Partial<Record<K, readonly unknown[]>>>(
  ctx: CollectContext,
  spec: CallSpec,
  fetch: (token: string | undefined, clients: AwsClients, options: { abortSignal: AbortSignal }) => Promise<P>,
  key: K,
): Promise<ItemOf<P[K]>[]> {
  const items: ItemOf<P[K]>[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  do {
    const page: P = await awsCall(ctx, spec, (clients, o) => fetch(token, clients, o));
    items.push(...((page[key] ?? []) as ItemOf<P[K]>[]));
    token = page.NextToken === '' ? undefined : page.NextToken;
    // a token handed twice would loop forever: say so instead
    if (token !== undefined && seen.has(token)) {
      throw awsError(`${spec.action} handed the same NextToken twice for ${spec.resource}`);
    }
    if (token !== undefined) seen.add(token);
  } while (token !== undefined);
  return items;
}
