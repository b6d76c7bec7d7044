import type { Snapshot } from './types.js';

/** The ARN of what the snapshot is about, for messages. */
export function snapshotSubjectArn(snapshot: Snapshot): string {
  return snapshot.subject.Kind === 'principal' ? snapshot.subject.principal.Arn : snapshot.subject.policy.PolicyArn;
}
