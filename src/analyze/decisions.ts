import type { Decision, Evidence, Verdict } from './types.js';

/** Key order is the order a reader scans a decision in recommendation.json. */
function decision(subject: string, v: Verdict, actionCount: number): Decision {
  return { subject, scope: v.scope, verdict: v.verdict, reason: v.reason, actionCount, evidence: orderEvidence(v.evidence) } as Decision;
}

const EVIDENCE_KEYS = ['service', 'serviceName', 'action', 'field', 'lastAccessed', 'region', 'entity', 'accounts', 'daysUnused', 'thresholdDays'] as const;

function orderEvidence(e: Evidence): Evidence {
  const out: Record<string, unknown> = {};
  for (const k of EVIDENCE_KEYS) if (e[k] !== undefined) out[k] = e[k];
  return out as unknown as Evidence;
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Folds per-action verdicts into the decisions a reviewer reads: one per service when the evidence is service-wide
 * (a whole service unused, not in the report…), one per action otherwise, one per unknown pattern. Sorted, so the
 * output is deterministic.
 */
export function collectDecisions(input: {
  verdicts: ReadonlyMap<string, Verdict>;
  unknownPatterns: ReadonlySet<string>;
  thresholdDays: number;
}): Decision[] {
  // service-wide verdicts are counted first and turned into one decision each at the end: a `*` statement brings
  // tens of thousands of them
  const serviceVerdicts = new Map<string, { first: Verdict; count: number }>();
  const actionDecisions: Decision[] = [];
  for (const [actionId, v] of input.verdicts) {
    if (v.scope === 'action') {
      actionDecisions.push(decision(actionId, v, 1));
      continue;
    }
    const key = `${v.evidence.service}\u0000${v.reason}`;
    const seen = serviceVerdicts.get(key);
    if (seen) seen.count++;
    else serviceVerdicts.set(key, { first: v, count: 1 });
  }
  const serviceDecisions = [...serviceVerdicts.values()].map(({ first, count }) => decision(first.evidence.service, first, count));
  const patternDecisions: Decision[] = [...input.unknownPatterns].sort(byString).map((pattern) => {
    const colon = pattern.indexOf(':');
    const service = (colon >= 0 ? pattern.slice(0, colon) : pattern).toLowerCase();
    return decision(pattern, { verdict: 'keep', reason: 'unknown-action', scope: 'pattern', evidence: { service, thresholdDays: input.thresholdDays } }, 0);
  });
  return [
    ...serviceDecisions.sort((a, b) => byString(a.subject, b.subject) || byString(a.reason, b.reason)),
    ...actionDecisions.sort((a, b) => byString(a.subject, b.subject)),
    ...patternDecisions,
  ];
}
