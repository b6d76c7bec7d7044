import type { ScpAnalysis } from '../analyze/types.js';
import { futureSafeCompaction } from './future-safe.js';
import { fitSearch } from './fit-search.js';
import { asProposed, keepPlan, updatePlan, type DraftPlan, type PlanContext } from './plan.js';
import { allUnused, firstRule, nothingRemovable, policyView, windowTooShort, type PolicyView, type Rule } from './plan-view.js';
import { SCP_SIZE_LIMIT, scpSize } from './scp-size.js';

/**
 * The planner for an SCP, for every member account it applies to. Its report (the root path with its policy id)
 * says, per service it allows, when any of those accounts last used it; services no account used within N days go
 * from its Allow statements, the rest stays (Deny statements and Conditions unchanged). A reason about the SCP holds it
 * whole: AWS-managed, a report that does not cover its targets, no account below its targets, a young account.
 */

type View = PolicyView<ScpAnalysis>;
type ScpRule = Rule<ScpAnalysis>;

const awsManaged: ScpRule = (v) =>
  v.ctx.analysis.scp.AwsManaged ? keepPlan(v.pa, { reason: 'scp-aws-managed', policyName: v.ctx.analysis.scp.Name }, allUnused(v)) : undefined;

/** is `ancestor` the path of `path` or of one of its parents? */
const covers = (ancestor: string, path: string): boolean => path === ancestor || path.startsWith(`${ancestor}/`);

// a report generated below a target, or with another policy id, has no data for accounts it does not reach: that
// absence must never read as "unused"
const reportCovers: ScpRule = (v) => {
  const scp = v.ctx.analysis.scp;
  const targets = scp.targets.map((t) => t.Path);
  const policyOk = scp.reportPolicyId === undefined || scp.reportPolicyId === scp.Id;
  if (policyOk && targets.every((t) => covers(scp.reportEntityPath, t))) return undefined;
  return keepPlan(
    v.pa,
    { reason: 'scp-report-not-covering', reportPath: scp.reportEntityPath, ...(scp.reportPolicyId ? { reportPolicyId: scp.reportPolicyId } : {}), targets },
    allUnused(v),
  );
};

const appliesToNoAccount: ScpRule = (v) =>
  v.ctx.analysis.scp.accounts.length > 0 ? undefined : keepPlan(v.pa, { reason: 'scp-applies-to-no-account' }, allUnused(v));

const RULES: readonly ScpRule[] = [awsManaged, reportCovers, appliesToNoAccount, windowTooShort, nothingRemovable];

export function planScp(analysis: ScpAnalysis, ctx: PlanContext<ScpAnalysis>): DraftPlan[] {
  const pa = analysis.policies[0];
  return pa === undefined ? [] : [asScp(firstRule(RULES, policyView(pa, ctx), trimPlan))];
}

/** every document a plan proposes for an SCP is an SCP, measured as Organizations measures it */
function asScp(plan: DraftPlan): DraftPlan {
  return { ...plan, proposed: plan.proposed.map((d) => ({ ...d, kind: 'scp', size: scpSize(d.document), limit: SCP_SIZE_LIMIT })) };
}

/** The trimmed content that fits 5,120 characters and removes the most (the fit search), in place of the SCP. */
function trimPlan(view: View): DraftPlan {
  const { pa, ctx, removable, held, heldBy } = view;
  const { catalog } = ctx;
  const result = fitSearch({
    catalog,
    policies: [{ pa, removable, held }],
    prepare: (t, p) => {
      if (scpSize(t.document) <= SCP_SIZE_LIMIT) return { kind: 'fits', documents: [t.document], introducedWildcards: [] };
      const r = futureSafeCompaction(catalog, t.document, p.policy);
      return { kind: 'fits', documents: [r.document], introducedWildcards: r.introducedWildcards };
    },
    measure: (docs) => {
      const doc = docs[0]?.[0];
      const size = doc === undefined ? 0 : scpSize(doc);
      return { fits: size <= SCP_SIZE_LIMIT, size, limit: SCP_SIZE_LIMIT };
    },
  });
  const only = result.policies[0];
  const document = only?.prepared.documents[0];
  if (!result.fits || only === undefined || document === undefined || only.trimmed.lost.length === 0 || only.prepared.kind !== 'fits') {
    const message = `even compacted, the trimmed content exceeds the ${SCP_SIZE_LIMIT.toLocaleString('en-US')}-character SCP limit`;
    if (only !== undefined && only.trimmed.lost.length === 0 && result.fits) {
      return keepPlan(pa, { reason: 'nothing-removed', because: 'service-wildcard', held: heldBy }, only.trimmed.notLost);
    }
    return keepPlan(pa, { reason: 'size-limit-kept-original', limit: { kind: 'managed-policy', message } }, allUnused(view));
  }
  const facts = {
    reason: 'scp-trimmed',
    accounts: ctx.analysis.scp.accounts.length,
    denyOnly: document.Statement.every((s) => s.Effect === 'Deny'),
    held: heldBy,
    ...(only.keptWhole.length ? { keptWhole: only.keptWhole } : {}),
  } as const;
  const proposed = { ...asProposed(pa.ref.policyName, 'scp', document), size: scpSize(document), limit: SCP_SIZE_LIMIT };
  return updatePlan(pa, only.trimmed, { facts, proposed, introducedWildcards: only.prepared.introducedWildcards });
}
