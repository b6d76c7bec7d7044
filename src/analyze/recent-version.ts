import { parseISO } from 'date-fns';
import type { SnapshotPolicy } from '../snapshot/types.js';
import { thresholdDaysOf, type AnalysisConfig } from './config.js';
import { daysAfter, wholeDaysBetween } from './days.js';
import type { RecentDefaultVersion } from './types.js';

export interface RecentVersionInput {
  readonly policy: SnapshotPolicy;
  /** JSONPath of the policy's DefaultVersionCreateDate in the file, for the evidence */
  readonly field: string;
  /** the catalog actions of the policy whose verdict is remove */
  readonly unused: readonly string[];
  readonly config: AnalysisConfig;
  readonly referenceTime: Date;
}

/**
 * A permission granted recently looks exactly like one never used: the report cannot tell them apart. For a
 * customer-managed policy, the default version's CreateDate bounds when its permissions were granted, so when that
 * version is younger than the threshold nothing in it can be proven unused, and nothing is taken from it.
 *
 * The threshold is the largest one that applies to an unused action of the policy (serviceThresholds may raise it
 * for a service); the age is in whole 24-hour days, as the observation window counts (a version exactly N days old
 * has N days of data). Returns undefined when the rule does not hold the policy back.
 *
 * Not applied to AWS-managed policies: AWS publishes new versions of them often (some several times a month) to add
 * actions of new features, so a recent version says nothing about when this principal got the permissions the older
 * versions already granted, and the rule would keep such policies whole indefinitely. What AWS adds is mostly actions of
 * new features, which the principal's workload has not relied on so far.
 */
export function recentDefaultVersion(input: RecentVersionInput): RecentDefaultVersion | undefined {
  const { policy, unused, config, referenceTime } = input;
  if (policy.Kind !== 'managed' || policy.ManagedBy !== 'customer' || policy.DefaultVersionCreateDate === undefined) return undefined;
  if (unused.length === 0) return undefined;
  const thresholdDays = Math.max(...unused.map((action) => thresholdDaysOf(config, action.slice(0, action.indexOf(':')))));
  const created = parseISO(policy.DefaultVersionCreateDate);
  const age = wholeDaysBetween(referenceTime, created);
  if (age >= thresholdDays) return undefined;
  return {
    field: input.field,
    versionId: policy.DefaultVersionId,
    versionCreateDate: policy.DefaultVersionCreateDate,
    // a version created after the reference time (--as-of in the past) has no data at all: 0 days
    daysSinceVersion: Math.max(0, age),
    thresholdDays,
    trimmableFrom: daysAfter(created, thresholdDays).toISOString(),
  };
}
