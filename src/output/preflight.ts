import { dirname, join } from 'node:path';
import { probeWritableFolder } from './folders.js';
import { folderOwnership, indexFileOwnership, refuseForeign, snapshotFileOwnership, summaryFileOwnership } from './ownership.js';

/** the two files an account-wide run writes beside its subjects' folders */
export const INDEX_FILE = 'index.md';
export const SUMMARY_FILE = 'summary.json';

export interface PlannedOutputs {
  /** --out: the folder the subject's folder goes into */
  readonly out?: string;
  /** the subject's folder name under `out`, when it is known before collecting (from --role-arn, --role-name …) */
  readonly subjectName?: string;
  /** --snapshot-out */
  readonly snapshotOut?: string;
  /** an account-wide run: OUT/index.md and OUT/summary.json, which must be absent or leastpriv's */
  readonly reports?: boolean;
  /** an account-wide run's --snapshot-dir, where a snapshot per subject goes */
  readonly snapshotDir?: string;
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
    if (planned.reports === true) {
      refuseForeign(await indexFileOwnership(join(out, INDEX_FILE)), join(out, INDEX_FILE));
      refuseForeign(await summaryFileOwnership(join(out, SUMMARY_FILE)), join(out, SUMMARY_FILE));
    }
  }
  if (planned.snapshotDir !== undefined) await probeWritableFolder(planned.snapshotDir, { label: `--snapshot-dir ${planned.snapshotDir}` });
  if (snapshotOut !== undefined) {
    const label = `--snapshot-out ${snapshotOut}`;
    refuseForeign(await snapshotFileOwnership(snapshotOut), label);
    await probeWritableFolder(dirname(snapshotOut), { label, labelPath: snapshotOut });
  }
}
