import { plural } from '../text.js';
import { chain, iam, ownerOf, ownersOf, replacementArn } from './apply-commands.js';
import { originalFiles } from './originals.js';
import { organizationsRollback } from './organizations-commands.js';
import type { Recommendation, RecommendedPolicy } from './recommendation.js';

/**
 * The aws CLI commands that undo a recommendation once it was applied, as text for a reviewer. Every step gives back
 * before it takes away, so the principal never holds less than it did after the change: an inline policy gets its
 * original document in one put, a managed policy its earlier default version in one call, and an original is
 * attached again before the copies that replaced it are detached, in one && chain so a failed attach stops there.
 */
export function rollbackCommands(rec: Recommendation): string[] {
  if (rec.subjectKind === 'scp' || rec.subjectKind === 'organization-entity') return organizationsRollback(rec, originalFiles(rec));
  const originals = originalFiles(rec);
  const lines: string[] = [];
  for (const pol of rec.policies) {
    if (pol.action === 'keep') continue;
    lines.push(`# ${pol.policyName}: roll back ${pol.action}`);
    lines.push(...rollbackFor(rec, pol, originals.get(pol)));
  }
  return lines;
}

function rollbackFor(rec: Recommendation, pol: RecommendedPolicy, original: string | undefined): string[] {
  const owners = ownersOf(rec, pol);
  const arn = pol.policyArn ?? '';
  if (pol.kind === 'inline') return original === undefined ? [] : [iam.putInline(ownerOf(rec, pol), pol.policyName, original)];
  switch (pol.action) {
    case 'create':
    case 'keep':
      return [];
    case 'update':
      return [
        // a snapshot names every managed policy's default version; a placeholder would fail as an invalid id
        iam.setDefaultVersion(arn, pol.defaultVersionId ?? '<previous-default-version-id>'),
        '# then, optionally, delete the trimmed version (create-policy-version printed its VersionId):',
        `# ${iam.deleteVersion(arn, '<VersionId>')}`,
      ];
    case 'replace': {
      const copies = pol.proposed.map((d) => replacementArn(rec, d.name));
      const them = plural(copies.length, 'it', 'them');
      return [
        `# the original is attached again first; the last ${plural(copies.length, 'step deletes the copy', `${copies.length} steps delete the copies`)} (leave ${them} out to keep ${them})`,
        ...chain([
          ...owners.map((o) => iam.attach(o, arn)),
          ...owners.flatMap((o) => copies.map((c) => iam.detach(o, c))),
          ...copies.map((c) => iam.deletePolicy(c)),
        ]),
      ];
    }
    case 'remove':
      return owners.map((o) => iam.attach(o, arn));
  }
}
