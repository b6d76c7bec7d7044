import { dirname, join } from 'node:path';
import { probeWritableFolder } from './folders.js';
import { folderOwnership, refuseForeign, snapshotFileOwnership } from './ownership.js';

export interface PlannedOutputs {
  /** --out: the folder the subject's folder goes into */
  readonly out?: string;
  /** the subject's folder name under `out`, when it is known before collecting (from --role-arn, --role-name …) */
  readonly subjectName?: string;
  /** --snapshot-out */
  readonly snapshotOut?: string;
}

/**
 * Checks every output path before any AWS call: each can be created and written, and none would replace something
 * leastpriv did not write. A bad --out then fails in a second, not after a ten-minute report job. The writers check
 * again when they write (src/output/write.ts): this is the early answer, not the guard.
 */
export async function preflightOutputs(planned: PlannedOutputs): Promise<void> {
  const { out, subjectName, snapshotOut } = planned;
  if (out !== undefined) {
    // --out itself first: "--out x is a file" says more than a failure to inspect x/<subject> below it
    await probeWritableFolder(out, { label: `--out ${out}` });
    if (subjectName !== undefined) {
      const target = join(out, subjectName);
      refuseForeign(await folderOwnership(target), target);
    }
  }
  if (snapshotOut !== undefined) {
    const label = `--snapshot-out ${snapshotOut}`;
    refuseForeign(await snapshotFileOwnership(snapshotOut), label);
    await probeWritableFolder(dirname(snapshotOut), { label, labelPath: snapshotOut });
  }
}
