import { parseIamArn } from '../snapshot/arn.js';
import type { Recommendation, RecommendedPolicy } from './recommendation.js';

/**
 * A value as one shell word: bare when it holds only characters no shell treats specially, else single-quoted. IAM
 * paths, and so policy ARNs, may hold any printable ASCII (`$(…)`, `;`, `|`, backticks): a reviewer pasting the
 * commands must not run what a policy's path says.
 */
export function shellWord(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * The aws CLI commands that apply a recommendation, as text for a reviewer. leastpriv never writes to IAM. New
 * policies are created and attached before the old ones are detached, so there is no moment without the kept
 * permissions.
 */
export function applyCommands(rec: Recommendation): string[] {
  const p = rec.principal;
  const arn = parseIamArn(p.Arn);
  const account = arn?.account ?? '<account-id>';
  const partition = arn?.partition ?? 'aws';
  const entity = p.Type; // role | user | group
  const nameFlag = `--${entity}-name ${shellWord(p.Name)}`;
  const lines: string[] = [];
  for (const pol of rec.policies) {
    if (pol.action === 'keep') continue;
    lines.push(`# ${pol.policyName}: ${pol.action} (${pol.reason})`);
    lines.push(...commandsFor(pol, { entity, nameFlag, account, partition }));
  }
  return lines;
}

function commandsFor(
  pol: RecommendedPolicy,
  ctx: { entity: string; nameFlag: string; account: string; partition: string },
): string[] {
  const file = (f: string): string => shellWord(`file://${f}`);
  const arn = (a: string | undefined): string => shellWord(a ?? '');
  switch (pol.action) {
    case 'keep':
      return [];
    case 'update':
      if (pol.kind === 'inline') {
        return pol.proposed.map(
          (d) => `aws iam put-${ctx.entity}-policy ${ctx.nameFlag} --policy-name ${shellWord(pol.policyName)} --policy-document ${file(d.file)}`,
        );
      }
      return [
        '# a managed policy keeps at most 5 versions: delete the oldest non-default one first if it has 5',
        ...pol.proposed.map(
          (d) => `aws iam create-policy-version --policy-arn ${arn(pol.policyArn)} --policy-document ${file(d.file)} --set-as-default`,
        ),
      ];
    case 'replace':
      // one && chain: when a create fails (the name is taken, by an earlier run say) its attach would attach the
      // policy that already has that name, and a failed attach (quota) must not be followed by the detach
      return chain([
        ...pol.proposed.flatMap((d) => [
          `aws iam create-policy --policy-name ${shellWord(d.name)} --policy-document ${file(d.file)}`,
          `aws iam attach-${ctx.entity}-policy ${ctx.nameFlag} --policy-arn ${arn(`arn:${ctx.partition}:iam::${ctx.account}:policy/${d.name}`)}`,
        ]),
        `aws iam detach-${ctx.entity}-policy ${ctx.nameFlag} --policy-arn ${arn(pol.policyArn)}`,
      ]);
    case 'remove':
      return pol.kind === 'inline'
        ? [`aws iam delete-${ctx.entity}-policy ${ctx.nameFlag} --policy-name ${shellWord(pol.policyName)}`]
        : [`aws iam detach-${ctx.entity}-policy ${ctx.nameFlag} --policy-arn ${arn(pol.policyArn)}`];
  }
}

/** commands that run only while every previous one succeeded, one per line */
function chain(commands: readonly string[]): string[] {
  return commands.map((c, i) => `${i === 0 ? '' : '  && '}${c}${i < commands.length - 1 ? ' \\' : ''}`);
}
