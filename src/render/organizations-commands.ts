import { shellWord } from './apply-commands.js';
import type { Recommendation, RecommendedPolicy } from './recommendation.js';

/**
 * The aws CLI commands of an Organizations recommendation, as text for a reviewer (leastpriv never writes to AWS):
 * an SCP's content is replaced by update-policy, and put back from `original/` to roll back; a guardrail is created
 * and attached, and detached and deleted to roll back. Run with the management account's (or a delegated
 * administrator's) credentials.
 */
type OrgRecommendation = Extract<Recommendation, { subjectKind: 'scp' | 'organization-entity' }>;

const file = (f: string): string => shellWord(`file://${f}`);

const updatePolicy = (id: string, content: string): string => `aws organizations update-policy --policy-id ${shellWord(id)} --content ${file(content)}`;

/** the id create-policy gives, found again by name for the roll back */
const idByName = (name: string): string =>
  `$(aws organizations list-policies --filter SERVICE_CONTROL_POLICY --query ${shellWord(`Policies[?Name=='${name}'].Id`)} --output text)`;

export function organizationsApply(rec: OrgRecommendation): string[] {
  return rec.policies.filter((p) => p.action !== 'keep').flatMap((pol) => [`# ${pol.policyName}: ${pol.action} (${pol.reason})`, ...applyFor(rec, pol)]);
}

function applyFor(rec: OrgRecommendation, pol: RecommendedPolicy): string[] {
  if (rec.subjectKind === 'scp') return pol.proposed.map((d) => updatePolicy(rec.scp.Id, d.file));
  const target = rec.entity.Id;
  return pol.proposed.map(
    (d) =>
      `id=$(aws organizations create-policy --type SERVICE_CONTROL_POLICY --name ${shellWord(d.name)} ` +
      `--description ${shellWord(`leastpriv: deny services unused below ${rec.entity.Path}`)} --content ${file(d.file)} ` +
      `--query Policy.PolicySummary.Id --output text) && aws organizations attach-policy --policy-id "$id" --target-id ${shellWord(target)}`,
  );
}

export function organizationsRollback(rec: OrgRecommendation, originals: ReadonlyMap<RecommendedPolicy, string>): string[] {
  return rec.policies
    .filter((p) => p.action !== 'keep')
    .flatMap((pol) => {
      const head = `# ${pol.policyName}: roll back ${pol.action}`;
      if (rec.subjectKind === 'scp') {
        const original = originals.get(pol);
        return original === undefined ? [head] : [head, updatePolicy(rec.scp.Id, original)];
      }
      const target = rec.entity.Id;
      return [
        head,
        ...pol.proposed.map(
          (d) =>
            `id=${idByName(d.name)} && aws organizations detach-policy --policy-id "$id" --target-id ${shellWord(target)} && ` +
            'aws organizations delete-policy --policy-id "$id"',
        ),
      ];
    });
}
