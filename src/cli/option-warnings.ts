import type { WarningCode } from '../analyze/types.js';
import type { Recommendation } from '../render/recommendation.js';
import type { CliIo } from './exit.js';

/**
 * Warnings about the options themselves, which the user should see at once and not only inside explanation.md:
 * one stderr line each. The others are about the data and stay in the rendered output.
 */
const OPTION_WARNINGS: ReadonlySet<WarningCode> = new Set(['threshold-beyond-tracking-period']);

export function printOptionWarnings(rec: Recommendation, io: CliIo): void {
  for (const w of rec.warnings) if (OPTION_WARNINGS.has(w.code)) io.stderr(`leastpriv: warning: ${w.message}\n`);
}
