import type { Decision, EntityUse } from '../analyze/types.js';
import { counted, formatDateTime, num, plural } from '../text.js';
import { code, nameList } from './markdown.js';
import type { ActionSetSummary, Recommendation, RecommendedPolicy } from './recommendation.js';

/** Entities named per service before "and N more": the reader sees who, not the whole roster. */
const NAMES_SHOWN = 3;

export interface WhoUsedInput {
  readonly rec: Recommendation;
  readonly pol: RecommendedPolicy;
  /** the service-wide decision of a service, when there is one */
  readonly serviceDecision: (service: string) => Decision | undefined;
}

type Dated = EntityUse & { readonly lastAuthenticated: string };

/** the entities of one service that used it, most recent first (AWS's order; a hand-written list is put in it) */
function usersOf(rec: Recommendation, service: string): { used: Dated[]; never: number } {
  const entities = rec.entityUse?.find((u) => u.service === service)?.entities ?? [];
  const used = entities
    .filter((e): e is Dated => e.lastAuthenticated !== undefined)
    .sort((a, b) => Date.parse(b.lastAuthenticated) - Date.parse(a.lastAuthenticated));
  return { used, never: entities.length - used.length };
}

/** `dana` 2026-10-30 10:00 UTC, `erin` 2026-10-29 08:00 UTC and 2 more */
function namesWithDates(used: readonly Dated[]): string {
  const shown = used.slice(0, NAMES_SHOWN).map((e) => `${code(e.name)} ${formatDateTime(e.lastAuthenticated)}`);
  return `${shown.join(', ')}${used.length > NAMES_SHOWN ? ` and ${num(used.length - NAMES_SHOWN)} more` : ''}`;
}

const servicesOf = (set: ActionSetSummary): string[] =>
  [...new Set([...set.wholeServices.map((w) => w.service), ...set.actions.map((a) => a.slice(0, a.indexOf(':')))])].sort();

/** what a group or policy report's entities are to the reader, singular and plural */
const entityNoun = (rec: Recommendation): { one: string; many: string } =>
  rec.subjectKind !== 'principal'
    ? { one: 'entity', many: 'entities' }
    : rec.principal.Type === 'group'
      ? { one: 'member', many: 'members' }
      : { one: 'principal', many: 'principals' };

/** With EntityDetails (a group's or a managed policy's report): for each service the policy keeps, who used it and when. */
export function whoUsedKept({ rec, pol }: WhoUsedInput): string[] {
  if (!rec.entityUse) return [];
  const lines = servicesOf(pol.kept).flatMap((service) => {
    const { used, never } = usersOf(rec, service);
    if (used.length === 0) return [];
    const noun = entityNoun(rec);
    return [`- ${code(service)}: ${namesWithDates(used)}${never ? `; ${counted(never, noun.one, noun.many)} never used it` : ''}`];
  });
  return lines.length ? ['**Who used the services that stay**', '', ...lines, ''] : [];
}

/**
 * With EntityDetails: for the services the policy loses whole, that no entity used them within the threshold
 * (never, since the data begins; or only before, naming the last ones).
 */
export function whoUsedRemoved({ rec, pol, serviceDecision }: WhoUsedInput): string[] {
  if (!rec.entityUse) return [];
  const noun = entityNoun(rec).one;
  const gone = servicesOf(pol.removed).flatMap((service) => {
    const d = serviceDecision(service);
    return d?.verdict === 'remove' ? [{ service, d }] : [];
  });
  const never = gone.filter((g) => g.d.reason === 'service-never-used').map((g) => g.service);
  const lines = [
    ...(never.length
      ? [`- ${nameList(never)}: no ${noun} used ${plural(never.length, 'it', 'them')} since ${formatDateTime(rec.observationWindow.dataStart)}, when the data begins`]
      : []),
    ...gone
      .filter((g) => g.d.reason !== 'service-never-used')
      .map(({ service, d }) => {
        const { used } = usersOf(rec, service);
        const last = used.length ? ` (last: ${namesWithDates(used)})` : '';
        return `- ${code(service)}: no ${noun} used it in the last ${counted(d.evidence.thresholdDays, 'day')}${last}`;
      }),
  ];
  return lines.length ? ['**Who used the services that go**', '', ...lines, ''] : [];
}
