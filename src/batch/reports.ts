import { join } from 'node:path';
import { indexFileOwnership, summaryFileOwnership } from '../output/ownership.js';
import { INDEX_FILE, SUMMARY_FILE } from '../output/preflight.js';
import { writeFileAtomically } from '../output/write.js';
import { renderIndexMarkdown } from '../render/index-md.js';
import { renderSummaryJson } from '../render/summary.js';
import type { BatchResult } from './types.js';

/** OUT/index.md and OUT/summary.json, each written whole, each replacing only a file leastpriv wrote there. */
export async function writeBatchReports(out: string, run: BatchResult): Promise<void> {
  await writeFileAtomically(join(out, INDEX_FILE), renderIndexMarkdown(run), { ownership: indexFileOwnership });
  await writeFileAtomically(join(out, SUMMARY_FILE), renderSummaryJson(run), { ownership: summaryFileOwnership });
}
