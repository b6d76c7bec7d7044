import type { PrincipalSubject, ServiceReport, Snapshot } from '../../src/snapshot/types.js';

/** The snapshot's subject when it is a principal (the same object, so a test may change it); throws otherwise. */
export function principalSubject(snapshot: Snapshot): PrincipalSubject {
  if (snapshot.subject.Kind !== 'principal') throw new Error(`expected a principal subject, not ${snapshot.subject.Kind}`);
  return snapshot.subject;
}

/** The snapshot's report when it is an IAM service report (principals, managed policies); throws otherwise. */
export function serviceReport(snapshot: Snapshot): ServiceReport {
  if (snapshot.report.Kind !== 'service-last-accessed') throw new Error(`expected a service report, not ${snapshot.report.Kind}`);
  return snapshot.report;
}
