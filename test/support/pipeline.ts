/**
 * Shared by the safety-review probes: run the whole pipeline on a hand-written snapshot over the small test catalog,
 * and ask iam-simulate (tests only) what the principal's policy set allows before and after.
 */
import type { PolicyDocument } from '../../src/policy/types.js';
import { recommendWith, type RecommendInput } from '../../src/recommend.js';
import type { Recommendation } from '../../src/render/recommendation.js';
import { decide, type Decision } from '../policy/oracle.js';
import { catalog } from './snapshots.js';

export function run(input: Omit<RecommendInput, 'catalog'>): Recommendation {
  return recommendWith({ catalog, toolVersion: 'test', ...input });
}

const merged = (docs: readonly PolicyDocument[]): PolicyDocument => ({ Version: '2012-10-17', Statement: docs.flatMap((d) => d.Statement) });

export const beforeSet = (rec: Recommendation): PolicyDocument => merged(rec.policies.map((p) => p.original));
export const afterSet = (rec: Recommendation): PolicyDocument => merged(rec.policies.flatMap((p) => p.proposed.map((d) => d.document)));

/** what the principal's whole policy set decides for a request, before and after the recommendation */
export function outcome(
  rec: Recommendation,
  action: string,
  resource = 'arn:aws:s3:::alpha',
  context: Record<string, string> = {},
): { before: Decision; after: Decision } {
  const req = { action, resource, context };
  return { before: decide(beforeSet(rec), req), after: decide(afterSet(rec), req) };
}
