/**
 * Shared by the safety-review probes: run the whole pipeline on a hand-written snapshot over the small test catalog,
 * and ask iam-simulate (tests only) what the principal's policy set allows before and after.
 */
import { analyze } from '../../src/analyze/analyze.js';
import type { Catalog } from '../../src/catalog/catalog.js';
import { resolveConfig, validateConfig } from '../../src/analyze/config.js';
import { generate } from '../../src/generate/generate.js';
import type { PolicyPlan } from '../../src/generate/types.js';
import type { PolicyDocument } from '../../src/policy/types.js';
import { recommendWith, type RecommendInput } from '../../src/recommend.js';
import { buildRecommendation, type Recommendation, type RecommendedPolicy } from '../../src/render/recommendation.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import { readSnapshot } from '../../src/snapshot/validate.js';
import { decide, type Decision } from '../policy/oracle.js';
import { catalog, managedPolicyRec } from './snapshots.js';

type ManagedPolicyRecommendation = Extract<Recommendation, { subjectKind: 'managed-policy' }>;

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

/**
 * The pipeline's stages on a snapshot of one managed policy over the small test catalog: its one plan (with the facts
 * the renderer words) and the recommendation built from the same analysis.
 */
export function planPolicy(
  snapshot: Snapshot,
  options: { unusedDays?: number; config?: unknown; catalog?: Catalog } = {},
): { plan: PolicyPlan; rec: ManagedPolicyRecommendation; pol: RecommendedPolicy } {
  const { snapshot: s, paths } = readSnapshot(snapshot);
  const file = options.config === undefined ? undefined : validateConfig(options.config);
  const config = resolveConfig(file, options.unusedDays === undefined ? {} : { unusedDays: options.unusedDays });
  const over = options.catalog ?? catalog;
  const analysis = analyze({ snapshot: s, catalog: over, config, paths });
  const generation = generate({ analysis, catalog: over });
  const rec = managedPolicyRec(buildRecommendation({ analysis, generation, toolVersion: 'test' }));
  const [plan] = generation.plans;
  const [pol] = rec.policies;
  if (plan === undefined || pol === undefined || generation.plans.length !== 1) throw new Error('expected one plan for the managed policy');
  return { plan, rec, pol };
}
