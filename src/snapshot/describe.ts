import type { Snapshot } from './types.js';

/**
 * A snapshot as leastpriv writes it and names it, for every writer (collect --snapshot-out, collect --all-*) and
 * every line about one: one place, so the bytes a live run recommends from are the bytes it writes.
 */

/** The snapshot file as leastpriv writes it: pretty JSON, stable key order (the collector builds it in order). */
export function snapshotJson(snapshot: Snapshot): string {
  return `${JSON.stringify(snapshot, null, 2)}\n`;
}

/** The ARN of what the snapshot is about (an SCP's ARN or id, an entity's path), to name it in a line. */
export function snapshotSubjectArn(snapshot: Snapshot): string {
  const { subject } = snapshot;
  switch (subject.Kind) {
    case 'principal':
      return subject.principal.Arn;
    case 'managed-policy':
      return subject.policy.PolicyArn;
    case 'scp':
      return subject.policy.Arn ?? subject.policy.Id;
    case 'organization-entity':
      return subject.entity.Path;
  }
}
