import { analyze } from './analyze/analyze.js';
import { resolveConfig, validateConfig } from './analyze/config.js';
import { parseAsOf, parseUnusedDays } from './analyze/options.js';
import type { Catalog } from './catalog/catalog.js';
import { loadCatalog } from './catalog/load.js';
import { toolVersion } from './tool-version.js';
import { generate } from './generate/generate.js';
import { buildRecommendation, type Recommendation } from './render/recommendation.js';
import { readSnapshot } from './snapshot/validate.js';

export interface RecommendInput {
  /** parsed JSON of a snapshot; validated here */
  readonly snapshot: unknown;
  /** defaults to the full catalog (loadCatalog) */
  readonly catalog?: Catalog;
  /** threshold N in days (default: config file, else 90) */
  readonly unusedDays?: number;
  /** reference time (YYYY-MM-DD or ISO date-time); default the report's JobCompletionDate */
  readonly asOf?: string;
  /** parsed JSON of a config file (schemas/config.schema.json); validated here */
  readonly config?: unknown;
  /** names the snapshot and config in error messages (file names) */
  readonly snapshotLabel?: string;
  readonly configLabel?: string;
  /** a deny-list guardrail's break-glass principals (`aws:PrincipalArn` patterns) */
  readonly exemptPrincipalArns?: readonly string[];
}

/** recommend() without I/O: the catalog and tool version are given. */
export function recommendWith(input: RecommendInput & { catalog: Catalog; toolVersion: string }): Recommendation {
  const { snapshot, paths } = readSnapshot(input.snapshot, input.snapshotLabel ?? 'snapshot');
  const file = input.config === undefined ? undefined : validateConfig(input.config, input.configLabel ?? 'config');
  const config = resolveConfig(file, input.unusedDays === undefined ? {} : { unusedDays: parseUnusedDays(input.unusedDays) });
  const analysis = analyze({
    snapshot,
    catalog: input.catalog,
    config,
    ...(input.asOf === undefined ? {} : { asOf: parseAsOf(input.asOf) }),
    label: input.snapshotLabel ?? 'snapshot',
    paths,
  });
  const generation = generate({ analysis, catalog: input.catalog, ...(input.exemptPrincipalArns ? { exemptPrincipalArns: input.exemptPrincipalArns } : {}) });
  return buildRecommendation({ analysis, generation, toolVersion: input.toolVersion });
}

/**
 * From a snapshot to a recommendation: analysis (what is unused), generation (trimmed policies that fit AWS limits)
 * and every decision's reason and evidence. Bad input throws a LeastprivError (kind 'input' or 'usage') whose
 * message is one line naming the place.
 */
export async function recommend(input: RecommendInput): Promise<Recommendation> {
  const catalog = input.catalog ?? (await loadCatalog());
  return recommendWith({ ...input, catalog, toolVersion: await toolVersion() });
}
