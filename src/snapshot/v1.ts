import type { Snapshot, SnapshotV1 } from './types.js';

/**
 * A version-1 snapshot (one principal at the top level: principal, policies, permissionsBoundary, lastAccessed) as
 * version 2 (the principal as the subject, lastAccessed as its report). Nothing is lost or invented: the analysis of
 * a v1 file and of its v2 form is the same, byte for byte.
 */
export function snapshotFromV1(v1: SnapshotV1): Snapshot {
  return {
    schemaVersion: 2,
    subject: {
      Kind: 'principal',
      principal: v1.principal,
      policies: v1.policies,
      ...(v1.permissionsBoundary !== undefined ? { permissionsBoundary: v1.permissionsBoundary } : {}),
    },
    report: { Kind: 'service-last-accessed', ...v1.lastAccessed },
    collection: v1.collection,
  };
}

/** Where the fields of a version-2 snapshot stood in the file it was read from, for error messages. */
export interface SnapshotPaths {
  readonly subject: string;
  readonly report: string;
}

export const V2_PATHS: SnapshotPaths = { subject: '$.subject', report: '$.report' };
export const V1_PATHS: SnapshotPaths = { subject: '$', report: '$.lastAccessed' };
