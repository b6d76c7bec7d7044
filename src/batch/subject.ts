import { join } from 'node:path';
import { errorLine } from '../errors.js';
import { writeDirectoryAtomically } from '../output/write.js';
import { recommendWith } from '../recommend.js';
import { renderFiles } from '../render/files.js';
import type { Recommendation } from '../render/recommendation.js';
import { unsafeFolderName } from './layout.js';
import type { BatchRecommendOptions, SubjectKey, SubjectResult } from './types.js';

/** Warnings about the options themselves (as `recommend` prints them on stderr), not about the data. */
const OPTION_WARNING_CODES: ReadonlySet<string> = new Set(['threshold-beyond-tracking-period']);

export interface SubjectInput {
  readonly key: SubjectKey;
  /** parsed snapshot JSON; validated by recommendWith */
  readonly snapshot: unknown;
  /** names the snapshot in errors, as `recommend --snapshot FILE` names FILE */
  readonly label: string;
  readonly out: string;
  /** relative to `out` */
  readonly folder: string;
  readonly options: BatchRecommendOptions;
  readonly onOptionWarning?: (message: string) => void;
}

/**
 * One subject of a run, recommended and written exactly as a single `recommend --out` writes its folder (the same
 * recommendWith, renderFiles and writeDirectoryAtomically). Whatever fails here fails this subject alone: the result
 * carries the one-line error and the run goes on.
 */
export async function recommendSubject(input: SubjectInput): Promise<SubjectResult> {
  const { key, folder, out, options } = input;
  const failed = (error: string): SubjectResult => ({ status: 'failed', key, folder, error });
  if (unsafeFolderName(key.name)) return failed(`cannot write a folder named "${key.name}" under ${out}`);
  let rec: Recommendation;
  try {
    rec = recommendWith({
      snapshot: input.snapshot,
      snapshotLabel: input.label,
      catalog: options.catalog,
      toolVersion: options.toolVersion,
      ...(options.unusedDays === undefined ? {} : { unusedDays: options.unusedDays }),
      ...(options.asOf === undefined ? {} : { asOf: options.asOf }),
      ...(options.config === undefined ? {} : { config: options.config, configLabel: options.configLabel }),
    });
    for (const w of rec.warnings) if (OPTION_WARNING_CODES.has(w.code)) input.onOptionWarning?.(w.message);
    await writeDirectoryAtomically(join(out, folder), renderFiles(rec, options.render));
  } catch (e) {
    return failed(errorLine(e));
  }
  const { before, after, servicesRemoved, highRiskRemoved } = rec.summary;
  return {
    status: 'recommended',
    key,
    folder,
    outcome: rec.outcome,
    actionsBefore: before.actions,
    actionsAfter: after.actions,
    servicesRemoved,
    highRiskRemoved,
  };
}

