import type { PrincipalSubject, Snapshot } from '../../src/snapshot/types.js';

/** The snapshot's subject when it is a principal (the same object, so a test may change it); throws otherwise. */
export function principalSubject(snapshot: Snapshot): PrincipalSubject {
  if (snapshot.subject.Kind !== 'principal') throw new Error(`expected a principal subject, not ${snapshot.subject.Kind}`);
  return snapshot.subject;
}
