import type { WindowStart } from '../analyze/types.js';
import { formatDateTime } from '../text.js';
import { code } from './markdown.js';

/**
 * What started a managed policy's data, as a clause: "its default version v3 was created 2026-11-20 10:00 UTC",
 * "attached role `batch-worker` was created …", "`erin`, a member of attached group `oncall`, was created …".
 * `name` formats names (code spans in Markdown, plain in one-line messages).
 */
export function startClause(start: WindowStart, name: (s: string) => string = code): string {
  const when = formatDateTime(start.createDate);
  switch (start.kind) {
    case 'default-version':
      return `its default version ${start.name} was created ${when}`;
    case 'newer-version':
      return `version ${start.name}, newer than the default, was created ${when}, so the default has been in force only since then at most`;
    case 'account':
      return `account ${name(start.name)} (${start.arn ?? ''}) joined the organization ${when}`;
    case 'group-member':
      return `user ${name(start.name)}, a member of attached group ${name(start.group ?? '')}, was created ${when}`;
    default:
      return `attached ${start.kind} ${name(start.name)} was created ${when}`;
  }
}
