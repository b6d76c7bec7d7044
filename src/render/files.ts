import { stringifyPolicy } from '../policy/index.js';
import { unifiedDiff } from './diff.js';
import { renderExplanation, type RenderOptions } from './explanation.js';
import { originalFiles } from './originals.js';
import type { Recommendation, RecommendedPolicy } from './recommendation.js';

/** recommendation.json: 2-space JSON with a trailing newline; key order is the builder's, so bytes are stable. */
export function renderRecommendationJson(rec: Recommendation): string {
  return `${JSON.stringify(rec, null, 2)}\n`;
}

/** Where the original of a policy sits in the diff's a/ tree: its kept file, else named after the policy. */
function originalFile(pol: RecommendedPolicy): string {
  const same = pol.proposed.find((d) => d.name === pol.policyName);
  return same?.file ?? `policies/${pol.policyName}.json`;
}

/**
 * diff.patch: each original against its proposal, both printed by the engine's stringifyPolicy. A replacement is
 * diffed against the original it replaces (further split parts are new files); a removed policy is a deletion.
 */
export function renderDiff(rec: Recommendation): string {
  const parts: string[] = [];
  for (const pol of rec.policies) {
    if (pol.action === 'keep') continue;
    const oldText = stringifyPolicy(pol.original);
    const oldPath = `a/${originalFile(pol)}`;
    const [first, ...rest] = pol.proposed;
    parts.push(
      unifiedDiff({
        oldPath,
        ...(first ? { newPath: `b/${first.file}` } : {}),
        oldText,
        newText: first ? stringifyPolicy(first.document) : '',
      }),
    );
    for (const d of rest) parts.push(unifiedDiff({ newPath: `b/${d.file}`, oldText: '', newText: stringifyPolicy(d.document) }));
  }
  return parts.join('');
}

/**
 * Every output file of one recommendation, keyed by path relative to `DIR/<principal-name>/`: the proposed policies,
 * the originals of the inline policies it changes (for rolling back), the JSON, the explanation and the diff. Pure;
 * the CLI writes them atomically.
 */
export function renderFiles(rec: Recommendation, options: RenderOptions = {}): Map<string, string> {
  const files = new Map<string, string>();
  for (const pol of rec.policies) for (const d of pol.proposed) files.set(d.file, stringifyPolicy(d.document));
  for (const [pol, file] of originalFiles(rec)) files.set(file, stringifyPolicy(pol.original));
  files.set('recommendation.json', renderRecommendationJson(rec));
  files.set('explanation.md', renderExplanation(rec, options));
  files.set('diff.patch', renderDiff(rec));
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
