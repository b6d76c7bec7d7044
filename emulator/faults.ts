/** Fault injection with seeded randomness, so a test that asks for 30% throttling sees the same calls throttled. */
export interface FaultOptions {
  /** added before every reply */
  latencyMs?: number;
  /** 0..1: share of calls answered with Throttling (HTTP 400) */
  throttleRate?: number;
  /** 0..1: share of calls answered with ServiceFailure (500) or ServiceUnavailable (503) */
  serverErrorRate?: number;
  /** true: every report job ends FAILED; a list: jobs whose report target (Arn; an Organizations report's EntityPath or OrganizationsPolicyId) is listed */
  failJobs?: boolean | string[];
  /** how long a report job stays IN_PROGRESS (wall clock); default 300, 0 = completed at once */
  jobCompletionMs?: number;
  /** seed of the fault and id generator; default 1 */
  seed?: number;
  /**
   * IAM's own kind of throttling: a token bucket per account and API family (ApiFamily), full at start, refilled at
   * `ratePerSecond` up to `burst` (wall clock). A request finding it empty is throttled and takes no token.
   */
  tokenBucket?: { ratePerSecond: number; burst: number };
}

export type FaultDecision = { kind: 'none' } | { kind: 'throttle' } | { kind: 'server-error'; status: 500 | 503 };

/** mulberry32: small, fast, good enough for test fault patterns */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function faultDecider(options: FaultOptions): () => FaultDecision {
  const random = seededRandom(options.seed ?? 1);
  const throttleRate = options.throttleRate ?? 0;
  const serverErrorRate = options.serverErrorRate ?? 0;
  return () => {
    // always draw both numbers so the pattern of one fault does not depend on the rate of the other
    const t = random();
    const s = random();
    if (t < throttleRate) return { kind: 'throttle' };
    if (s < serverErrorRate) return { kind: 'server-error', status: s < serverErrorRate / 2 ? 500 : 503 };
    return { kind: 'none' };
  };
}

/**
 * The groups of operations the emulator throttles apart (AWS's throttling errors and quotas treat the report
 * generations and GetAccountAuthorizationDetails apart from the plain reads). The emulator is a model of AWS
 * independent of the collector, whose governor keeps its own guess of these (a test keeps the two in step).
 */
export type ApiFamily = 'iam-read' | 'iam-report' | 'iam-authorization-details' | 'sts' | 'organizations';

const IAM_REPORT = /^Generate|LastAccessed|OrganizationsAccessReport$/;

export function apiFamily(service: 'iam' | 'sts' | 'organizations', operation: string): ApiFamily {
  if (service === 'iam') {
    if (operation === 'GetAccountAuthorizationDetails') return 'iam-authorization-details';
    return IAM_REPORT.test(operation) ? 'iam-report' : 'iam-read';
  }
  return service;
}

/** One bucket per account and family; `now` (ms) is the wall clock unless a test gives its own. */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly options: { ratePerSecond: number; burst: number },
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** true (and one token fewer) when the bucket of `accountId` and `family` has a token */
  take(accountId: string, family: ApiFamily): boolean {
    const key = `${accountId} ${family}`;
    const at = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.options.burst, at };
    bucket.tokens = Math.min(this.options.burst, bucket.tokens + ((at - bucket.at) / 1000) * this.options.ratePerSecond);
    bucket.at = at;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
