import { join } from 'node:path';
import type { Catalog } from '../../catalog/catalog.js';
import { outputError, usageError } from '../../errors.js';
import { parseUnusedDays } from '../../analyze/options.js';
import { recommend } from '../../recommend.js';
import { renderExplanation, type RenderOptions } from '../../render/explanation.js';
import { renderFiles, renderRecommendationJson } from '../../render/files.js';
import { renderOutcomeLine } from '../../render/outcome-line.js';
import { subjectName, type Recommendation } from '../../render/recommendation.js';
import { EXIT, type CliIo, type ExitCode } from '../exit.js';
import { COMMON_OPTIONS, parseCommandArgs } from '../options.js';
import { readJsonArg, readJsonFile } from '../read-json.js';
import { printOptionWarnings } from '../option-warnings.js';
import { preflightOutputs } from '../../output/preflight.js';
import { writeDirectoryAtomically } from '../../output/write.js';
import { PRINCIPAL_FLAGS_TEXT } from './live-options.js';

export const RECOMMEND_HELP = `Usage: leastpriv recommend --snapshot FILE [options]

Reads a snapshot (a principal's policies and its ACTION_LEVEL last-accessed report), decides what is unused and
proposes trimmed policies. Never calls AWS, never writes to IAM.

Options:
  --snapshot FILE        snapshot JSON (schemas/snapshot.schema.json)          required
                         (- reads it from standard input)
  --unused-days N        a permission unused for more than N days is removable  default 90
  --as-of DATE           reference time (YYYY-MM-DD or ISO date-time), from the start of the
                         report's data to its JobCompletionDate                default JobCompletionDate
  --config FILE          config JSON (schemas/config.schema.json): neverRemove patterns,
                         serviceThresholds, trackingPeriodDays, sharedPolicies
  --out DIR              write DIR/<principal-name>/ (policies/*.json, recommendation.json,
                         explanation.md, diff.patch, original/*.json), all or nothing; replaces only a folder
                         leastpriv wrote
  --format md|json       without --out: print explanation.md (md) or recommendation.json (json)
  --explain-actions      explanation.md lists every removed action in its own row (as
                         recommendation.json does) instead of one row per service for the never-used
  --exempt-principal-arn PATTERN
                         a deny-list guardrail (--entity-path) does not apply to principals matching
                         this aws:PrincipalArn pattern (a break-glass role); repeatable
  --detailed-exitcode    exit 2 when reductions are recommended (0 when none)
  --debug                print a stack trace with errors
  -h, --help             this help

Exit codes: 0 ok, 1 error, 2 reductions recommended (with --detailed-exitcode).
`;

const RECOMMEND_OPTIONS = {
  ...COMMON_OPTIONS,
  snapshot: { type: 'string' },
  'unused-days': { type: 'string' },
  'as-of': { type: 'string' },
  config: { type: 'string' },
  out: { type: 'string' },
  format: { type: 'string' },
  'explain-actions': { type: 'boolean' },
  'exempt-principal-arn': { type: 'string', multiple: true },
  'detailed-exitcode': { type: 'boolean' },
} as const;

/** The recommend options once parsed; the live variant (collector) fills `snapshot` itself. */
export interface RecommendCliOptions {
  readonly unusedDays?: string;
  readonly asOf?: string;
  readonly configFile?: string;
  readonly out?: string;
  readonly format: 'md' | 'json';
  /** explanation.md's render options */
  readonly render: RenderOptions;
  readonly detailedExitcode: boolean;
  /** a guardrail's break-glass principals (--exempt-principal-arn, repeatable) */
  readonly exemptPrincipalArns?: readonly string[];
  /** test and bench hook: skip loading the catalog again */
  readonly catalog?: Catalog;
}

export interface ParsedRecommendArgs {
  readonly help: boolean;
  readonly debug: boolean;
  readonly snapshotFile?: string;
  readonly options: RecommendCliOptions;
}

/** `aws:PrincipalArn` patterns: ARNs, `*` and `?` allowed (ArnNotLike) */
function exemptPatterns(values: readonly string[]): string[] {
  for (const v of values) {
    if (!/^arn:aws[\w-]*:iam::(\d{12}|\*):(role|user|root|\*)[\x21-\x7e]*$/.test(v)) {
      throw usageError(`--exempt-principal-arn: ${JSON.stringify(v)} is not an IAM principal ARN pattern (arn:aws:iam::<account-id or *>:role/<name or pattern>)`);
    }
  }
  return [...new Set(values)].sort();
}

/** Parses `recommend` flags; shared with the live variant, which adds its own principal flags. */
export function parseRecommendArgs(argv: readonly string[]): ParsedRecommendArgs {
  const { values } = parseCommandArgs(argv, RECOMMEND_OPTIONS, 'recommend');
  const format = values.format ?? 'md';
  if (format !== 'md' && format !== 'json') throw usageError(`--format: ${JSON.stringify(format)} is not md or json`);
  // --out writes explanation.md and recommendation.json both: a --format there would be ignored without a word
  if (values.format !== undefined && values.out !== undefined) {
    throw usageError('recommend: --format chooses what to print without --out; --out writes every file (drop one of them)');
  }
  // checked here too, so that a live run fails before it spends minutes collecting
  if (values['unused-days'] !== undefined) parseUnusedDays(values['unused-days']);
  return {
    help: values.help === true,
    debug: values.debug === true,
    ...(values.snapshot === undefined ? {} : { snapshotFile: values.snapshot }),
    options: {
      ...(values['unused-days'] === undefined ? {} : { unusedDays: values['unused-days'] }),
      ...(values['as-of'] === undefined ? {} : { asOf: values['as-of'] }),
      ...(values.config === undefined ? {} : { configFile: values.config }),
      ...(values.out === undefined ? {} : { out: values.out }),
      format,
      render: values['explain-actions'] === true ? { explainActions: true } : {},
      detailedExitcode: values['detailed-exitcode'] === true,
      ...(values['exempt-principal-arn'] === undefined ? {} : { exemptPrincipalArns: exemptPatterns(values['exempt-principal-arn']) }),
    },
  };
}

/**
 * The offline path: a parsed snapshot (read from --snapshot, or collected live) → recommendation → output. Nothing is
 * written unless everything succeeded.
 */
export async function recommendFromSnapshot(
  snapshot: unknown,
  options: RecommendCliOptions & { snapshotLabel: string },
  io: CliIo,
): Promise<ExitCode> {
  const config = options.configFile === undefined ? undefined : await readJsonFile(options.configFile);
  const rec: Recommendation = await recommend({
    snapshot,
    snapshotLabel: options.snapshotLabel,
    ...(options.catalog ? { catalog: options.catalog } : {}),
    ...(options.unusedDays === undefined ? {} : { unusedDays: parseUnusedDays(options.unusedDays) }),
    ...(options.asOf === undefined ? {} : { asOf: options.asOf }),
    ...(config === undefined ? {} : { config, configLabel: options.configFile }),
    ...(options.exemptPrincipalArns === undefined ? {} : { exemptPrincipalArns: options.exemptPrincipalArns }),
  });
  printOptionWarnings(rec, io);
  if (options.out !== undefined) {
    // IAM's name characters allow "." and "..": never let a name step out of --out
    const name = subjectName(rec);
    if (name === '.' || name === '..') throw outputError(`cannot write a folder named "${name}" under ${options.out}`);
    const target = join(options.out, name);
    await writeDirectoryAtomically(target, renderFiles(rec, options.render));
    io.stdout(`${renderOutcomeLine(rec, target)}\n`);
  } else {
    io.stdout(options.format === 'json' ? renderRecommendationJson(rec) : renderExplanation(rec, options.render));
  }
  return options.detailedExitcode && rec.outcome === 'reductions-recommended' ? EXIT.reductions : EXIT.ok;
}

export async function runRecommend(argv: readonly string[], io: CliIo, hooks: { catalog?: Catalog } = {}): Promise<ExitCode> {
  const args = parseRecommendArgs(argv);
  if (args.help) {
    io.stdout(RECOMMEND_HELP);
    return EXIT.ok;
  }
  if (args.snapshotFile === undefined) throw usageError(`recommend: needs --snapshot FILE, or a principal to collect (${PRINCIPAL_FLAGS_TEXT})`);
  if (args.options.out !== undefined) await preflightOutputs({ out: args.options.out });
  const { json, label } = await readJsonArg(args.snapshotFile, io);
  return recommendFromSnapshot(json, { ...args.options, ...hooks, snapshotLabel: label }, io);
}
