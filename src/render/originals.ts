import type { Recommendation, RecommendedPolicy } from './recommendation.js';

/**
 * Where the output keeps the original of each inline policy the recommendation changes, `original/<name>.json`, for
 * rolling back: putting an inline policy replaces its document, and IAM keeps no earlier one. A managed policy
 * needs no copy: its earlier default version, or the original policy itself, is still in IAM. An updated policy's
 * original is named like its proposal in policies/ (qualified there when names collide); a deleted one after the
 * policy, with a counter should two names still be equal (case-insensitive file systems).
 */
export function originalFiles(rec: Recommendation): ReadonlyMap<RecommendedPolicy, string> {
  const files = new Map<RecommendedPolicy, string>();
  const used = new Set<string>();
  for (const pol of rec.policies) {
    // an updated SCP keeps no earlier content in Organizations either
    const scp = rec.subjectKind === 'scp' && pol.action === 'update';
    if ((pol.kind !== 'inline' && !scp) || pol.action === 'keep') continue;
    const proposed = pol.proposed[0]?.file;
    const base = proposed === undefined ? pol.policyName : proposed.replace(/^policies\//, '').replace(/\.json$/, '');
    let name = base;
    for (let n = 2; used.has(name.toLowerCase()); n++) name = `${base}-${n}`;
    used.add(name.toLowerCase());
    files.set(pol, `original/${name}.json`);
  }
  return files;
}
