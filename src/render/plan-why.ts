import type { RecentDefaultVersion } from '../analyze/types.js';
import { parseISO } from 'date-fns';
import { daysAfter } from '../analyze/days.js';
import type { HeldByUncatalogued, KeptWhole, PlanFacts, SharedBeyondPrincipal, SizeLimitFact } from '../generate/plan-facts.js';
import { counted, formatDateTime, num, plural } from '../text.js';
import { startClause } from './window-text.js';

/** The one or two sentences a reviewer reads for a policy's plan (recommendation.json's `why`), from its facts. */
export function planWhy(facts: PlanFacts): string {
  switch (facts.reason) {
    case 'observation-window-too-short':
      return (
        `The data covers ${counted(facts.coveredDays, 'day')} (${formatDateTime(facts.dataStart)} to ${formatDateTime(facts.referenceTime)}), ` +
        `less than the ${facts.thresholdDays}-day threshold: nothing can be proven unused.` +
        (facts.start
          ? ` It starts when ${startClause(facts.start)}: ${facts.start.kind === 'default-version' || facts.start.kind === 'newer-version' ? 'what it grants may be newly granted' : 'it may not have run all its work yet'}. Run again from ` +
            `${formatDateTime(daysAfter(parseISO(facts.start.createDate), facts.thresholdDays).toISOString())} to trim it.`
          : '')
      );
    case 'policy-version-too-recent':
      return recentVersion(facts.version, facts.referenceTime);
    case 'nothing-removed':
      return {
        'none-unused': 'No permission of this policy is proven unused.',
        held: `Nothing this policy grants can go.${heldNote(facts.held)}`,
        'service-wildcard':
          'What is unused here is granted by a pattern with a wildcard in the service prefix (such as `*:*`), which is ' +
          `never narrowed: the policy stays as it is.${heldNote(facts.held)}`,
      }[facts.because];
    case 'group-policy-kept':
      return (
        `This policy reaches the user through group ${facts.groupName}; trimming it would change the permissions of ` +
        `every member of the group, so it is kept. Review the group with a group report, or move the user out of it.`
      );
    case 'shared-policy-kept':
      return (
        `This customer-managed policy ${sharedText(facts.shared)}; the configuration says shared policies are kept (sharedPolicies: "keep").` +
        (facts.shared.kind === 'attached-elsewhere' ? forEveryone(facts.shared.policyArn) : '')
      );
    case 'size-limit-kept-original':
      return sizeLimit(facts.limit);
    case 'no-statement-left':
      if (facts.entities !== undefined) {
        return (
          `No entity it is attached to used anything it grants: detach it from ${facts.entities === 1 ? 'the entity' : `all ${facts.entities} entities`} ` +
          '(deleting the policy afterwards is your call).'
        );
      }
      return `Nothing this policy grants is used: ${facts.policyKind === 'inline' ? 'delete it' : 'detach it from this principal'}.`;
    case 'policy-not-attached':
      return (
        'Attached to no role, user or group: its report has nothing to show, so nothing is proven unused and it is kept as it ' +
        `is. Nobody gets permissions from it now${facts.managedBy === 'customer' ? '; deleting it is your call' : ''}.`
      );
    case 'scp-trimmed':
      return (
        `Replace its content with the trimmed document: it applies to ${counted(facts.accounts, 'member account')}, and keeps every ` +
        `service any of them used.${keptWholeNote(facts.keptWhole ?? [], 'the SCP fits the 5,120-character')}${denyNote(facts.denyOnly)}${heldNote(facts.held)}`
      );
    case 'scp-aws-managed':
      return (
        `${facts.policyName} is AWS-managed and cannot be edited. To deny what no account uses, create a deny-list guardrail ` +
        'for the root or an OU instead: `leastpriv recommend --entity-path o-…/r-…[/ou-…]`.'
      );
    case 'scp-report-not-covering':
      return (
        `The report was generated for ${facts.reportPath}${facts.reportPolicyId ? ` with policy ${facts.reportPolicyId}` : ''}, which does not cover ` +
        `every target of the SCP (${facts.targets.join(', ')}): accounts it does not reach show no data, which is no proof of ` +
        'disuse. Nothing is removed; collect again (`leastpriv collect --scp-id …` reports at the root with the SCP\'s id).'
      );
    case 'scp-applies-to-no-account':
      return 'It applies to no member account (not attached, or only above the management account, which SCPs never limit): its report has nothing to show, so it is kept as it is.';
    case 'guardrail-created':
      return (
        `A new SCP denies ${counted(facts.services, 'service')} that no account below used in the threshold, for the ${counted(facts.accounts, 'member account')} ` +
        `there.${facts.parts > 1 ? ` It is split into ${facts.parts} SCPs to fit 5,120 characters each.` : ''}` +
        (facts.exempt.length ? ` Principals matching ${facts.exempt.join(', ')} are exempt (aws:PrincipalArn).` : ' No principal is exempt: add --exempt-principal-arn for a break-glass role.')
      );
    case 'guardrail-not-needed':
      return {
        'nothing-unused': `Every service allowed there was used by some account below, or is never denied (${facts.neverDenied.join(', ') || 'none'}): no guardrail is needed.`,
        'window-too-short': 'An account below joined the organization less than the threshold ago: nothing can be proven unused, so nothing is denied.',
        'no-account': 'No member account is below this entity: there is nothing to deny for.',
      }[facts.because];
    case 'policy-is-permissions-boundary':
      return (
        `It is also the permissions boundary of ${counted(facts.principals, 'principal')} (PermissionsBoundaryUsageCount). A boundary ` +
        'limits what its principals may do without granting it, and the report does not see that use: trimming it could take ' +
        'permissions away from them, so it is kept whole.'
      );
    case 'managed-policy-new-version':
      return (
        `Publish the trimmed document as the new default version: it changes ${everyEntity(facts.entities)}` +
        `${facts.entities === 1 ? ' and keeps everything it used.' : ' at once and keeps everything any of them used.'}${keptWholeNote(facts.keptWhole ?? [])}${denyNote(facts.denyOnly)}${heldNote(facts.held)}`
      );
    case 'managed-policy-replaced':
      return (
        'AWS-managed policies cannot be edited: create a customer-managed policy holding what is kept, attach it to ' +
        `${everyEntity(facts.entities)}, then detach ${facts.policyName} from them.${split(facts.parts)}${keptWholeNote(facts.keptWhole ?? [])}` +
        `${denyNote(facts.denyOnly)} The ${plural(facts.parts, 'copy no longer follows', 'copies no longer follow')} AWS's updates to ` +
        `${facts.policyName}: AWS adds actions to its managed policies as services grow.${heldNote(facts.held)}`
      );
    case 'inline-trimmed':
      return `The inline policy is replaced by its trimmed document.${keptWholeNote(facts.keptWhole ?? [], 'the inline policies fit their')}${denyNote(facts.denyOnly)}${heldNote(facts.held)}`;
    case 'customer-managed-new-version':
      return `Attached only to this principal: publish the trimmed document as the new default version.${keptWholeNote(facts.keptWhole ?? [])}${denyNote(facts.denyOnly)}${heldNote(facts.held)}`;
    case 'shared-policy-replaced':
      return (
        (facts.shared.kind === 'attached-elsewhere'
          ? `Attached to ${facts.shared.attachmentCount} principals, so it is not narrowed in place: detach it from this principal and ` +
            'attach a principal-specific copy holding what is kept; the other principals keep the original.' +
            forEveryone(facts.shared.policyArn)
          : `This policy ${sharedText(facts.shared)}, so it is not narrowed in place: detach it from this principal and ` +
            'attach a principal-specific copy holding what is kept; the original stays as it is.') +
        `${split(facts.parts)}${denyNote(facts.denyOnly)}${heldNote(facts.held)}`
      );
    case 'aws-managed-replaced':
      return (
        `AWS-managed policies cannot be edited: detach it and attach a new customer-managed policy holding what is kept.` +
        `${split(facts.parts)}${denyNote(facts.denyOnly)} ` +
        `The ${plural(facts.parts, 'copy no longer follows', 'copies no longer follow')} AWS's updates to ${facts.policyName}: AWS adds actions to ` +
        `its managed policies as services grow, and ${plural(facts.parts, 'this copy', 'these copies')} will not get them.${heldNote(facts.held)}`
      );
  }
}

function recentVersion(v: RecentDefaultVersion, referenceTime: string): string {
  const when =
    Date.parse(v.versionCreateDate) > Date.parse(referenceTime)
      ? 'after the reference time'
      : `${counted(v.daysSinceVersion, 'day')} before the reference time, less than the ${v.thresholdDays}-day threshold`;
  return (
    `Its default version ${v.versionId} was created ${formatDateTime(v.versionCreateDate)}, ${when}: what it grants may have been ` +
    `granted only then, so the report cannot show it unused yet. Nothing is removed from it; run again from ` +
    `${formatDateTime(v.trimmableFrom)} to trim it.`
  );
}

function sharedText(shared: SharedBeyondPrincipal): string {
  switch (shared.kind) {
    case 'attached-elsewhere':
      return `is attached to ${shared.attachmentCount} principals`;
    case 'own-boundary':
      return `is also this ${shared.principalType}'s permissions boundary`;
    case 'boundary-of-others':
      return `is the permissions boundary of ${counted(shared.principals, 'principal')} (PermissionsBoundaryUsageCount)`;
    case 'through-groups':
      return `also reaches this ${shared.principalType} through ${shared.via.join(', ')}`;
  }
}

function sizeLimit(limit: SizeLimitFact): string {
  return limit.kind === 'managed-policy'
    ? `The trimmed policy cannot be made to fit AWS limits (${limit.message}); the original is kept.`
    : `Even compacted, the trimmed inline policies total ${num(limit.size)} characters, over the ${num(limit.limit)}-character ` +
        `inline limit for a ${limit.principalType}; the original is kept. Move permissions to a managed policy to trim it.`;
}

/** the better alternative for a shared policy: its own report trims it for everyone at once */
const forEveryone = (policyArn: string): string =>
  ` To trim the policy itself for everyone it is attached to, run \`leastpriv recommend --policy-arn ${policyArn}\`.`;

const everyEntity = (entities: number): string => (entities === 1 ? 'the one entity it is attached to' : `all ${entities} entities it is attached to`);

/** which parts are carried as written to fit the size limit, and the unused actions they still grant */
function keptWholeNote(kept: readonly KeptWhole[], fits = 'the policy fits the 6,144-character'): string {
  if (kept.length === 0) return '';
  const part = (k: KeptWhole): string => `${k.service ? `${k.service} in ` : ''}statement #${k.index}${k.Sid ? ` (${k.Sid})` : ''}`;
  const unused = kept.reduce((n, k) => n + k.unusedActions, 0);
  return (
    ` To fit, ${kept.map(part).join(', ')} ${plural(kept.length, 'is', 'are')} kept as written so that ${fits} limit; ` +
    `${plural(kept.length, 'it still grants', 'they still grant')} ${counted(unused, 'unused action')}.`
  );
}

const split = (parts: number): string =>
  parts > 1 ? ` It is split into ${parts} policies to fit the 6,144-character managed-policy limit.` : '';

const denyNote = (denyOnly: boolean): string =>
  denyOnly ? ' No Allow is left; its Deny statements stay so that no denial is lifted.' : '';

function heldNote(held: HeldByUncatalogued): string {
  if (held.actions === 0) return '';
  return (
    ` ${counted(held.actions, 'unused action')} ${plural(held.actions, 'stays', 'stay')} with ` +
    `${plural(held.statements, 'a statement that also grants', 'statements that also grant')} what the catalog cannot name and the ` +
    'report shows in use (see the warnings).'
  );
}
