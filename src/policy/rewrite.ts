import type { Catalog } from '../catalog/catalog.js';
import { invariantError } from '../errors.js';
import { expandPattern, expandPatterns, expandStatement, hasServiceWildcard } from './expand.js';
import { toStatementJson } from './print.js';
import type { NormalizedPolicy, NormalizedStatement, PolicyDocument } from './types.js';

/** What to keep of one Allow statement: catalog action ids (any casing) and unknown patterns (verbatim). */
export interface StatementKeep {
  readonly actions: ReadonlySet<string>;
  readonly unknown: ReadonlySet<string>;
}

export interface StatementProvenance {
  readonly outputIndex: number;
  readonly inputIndex: number;
  readonly change: 'unchanged' | 'narrowed';
}

export interface RewriteResult {
  readonly document: PolicyDocument;
  /** the same output as a normalised policy (statement `index` = output position), for further engine calls */
  readonly policy: NormalizedPolicy;
  /** one entry per output statement, in output order */
  readonly provenance: readonly StatementProvenance[];
  /** input statement indices left with no action, so absent from the output */
  readonly dropped: readonly number[];
}

/**
 * Narrows Allow statements to a keep-set. Rules (the safety argument is that each output statement allows a subset of
 * its input statement, and every Deny is emitted byte-for-byte):
 * - a Deny, or a statement absent from `keep`, is emitted unchanged;
 * - an Allow whose keep-set covers everything it allowed is emitted unchanged (same patterns, so wildcards survive);
 * - otherwise its Action list follows the original's order: fully kept patterns as written, the others replaced in
 *   place by their kept catalog ids, kept unknown patterns verbatim (see narrowedActions), with Sid, Effect,
 *   Resource/NotResource and Condition copied exactly; with nothing kept it disappears.
 * - A kept action reached only through a service-prefix wildcard (`*:GetObject`) is kept as that pattern verbatim,
 *   never listed.
 * - A NotAction statement that is narrowed becomes an Action list: its unknown patterns are exclusions, not grants,
 *   so `keep.unknown` is ignored for it, and the actions it allowed outside the catalog are given up (narrower).
 * A keep-set naming an action the statement does not allow is a caller bug: invariant error, never a widening.
 * The output is re-expanded and checked against the input; any violation throws LeastprivError kind 'invariant'.
 */
export function rewritePolicy(
  catalog: Catalog,
  policy: NormalizedPolicy,
  keep: ReadonlyMap<number, StatementKeep>,
): RewriteResult {
  const statements: NormalizedStatement[] = [];
  const provenance: StatementProvenance[] = [];
  const dropped: number[] = [];
  for (const input of policy.statements) {
    const outcome = rewriteStatement(catalog, input, keep.get(input.index));
    if (outcome.kind === 'dropped') {
      dropped.push(input.index);
      continue;
    }
    const outputIndex = statements.length;
    statements.push({ ...outcome.statement, index: outputIndex });
    provenance.push({ outputIndex, inputIndex: input.index, change: outcome.kind });
  }
  const output: NormalizedPolicy = {
    Version: policy.Version,
    ...(policy.Id === undefined ? {} : { Id: policy.Id }),
    statements,
  };
  verifyRewrite(catalog, policy, output, provenance, keep);
  return {
    document: {
      Version: output.Version,
      ...(output.Id === undefined ? {} : { Id: output.Id }),
      Statement: statements.map(toStatementJson),
    },
    policy: output,
    provenance,
    dropped,
  };
}

type StatementOutcome =
  | { kind: 'unchanged'; statement: NormalizedStatement }
  | { kind: 'narrowed'; statement: NormalizedStatement }
  | { kind: 'dropped' };

function rewriteStatement(catalog: Catalog, input: NormalizedStatement, keep: StatementKeep | undefined): StatementOutcome {
  if (input.Effect === 'Deny' || keep === undefined) return { kind: 'unchanged', statement: input };
  const { keptActions, keptUnknown, allowedCount, unknownCount } = keptOf(catalog, input, keep);
  const keepsAllUnknown = input.actionKind === 'NotAction' || keptUnknown.length === unknownCount;
  if (keptActions.length === allowedCount && keepsAllUnknown) return { kind: 'unchanged', statement: input };
  const actions = narrowedActions(catalog, input, keptActions, keptUnknown);
  if (actions.length === 0) return { kind: 'dropped' };
  return {
    kind: 'narrowed',
    statement: {
      ...input,
      actionKind: 'Action',
      actions,
      actionWasString: actions.length === 1,
    },
  };
}

/**
 * The Action list of a narrowed statement, in the original's order so that a reviewer's diff shows removals, not
 * reordering. Walking the original patterns in order:
 * - a pattern all of whose catalog actions are kept stays exactly as written: it is the original's own pattern, so it
 *   grants nothing the original did not (a wildcard also matches actions AWS adds later, as the original did);
 * - any other catalog pattern is replaced, in place, by its kept actions in catalog order;
 * - an unknown pattern (no catalog match) stays verbatim in place when it is kept;
 * - a service-prefix wildcard (`*:GetObject`) is read as matching full ids, but AWS does not document that reading, so
 *   an action reached only through one is never written out explicitly: the pattern stays verbatim when such an
 *   action is kept. Under either reading the output then allows no more than the input, and under the full-id
 *   reading it still allows every kept action.
 * Entries are de-duplicated (case-insensitively, first occurrence wins), and an action granted by a pattern that stays
 * as written is not listed again. A NotAction statement has no patterns to follow: its kept actions come sorted.
 */
function narrowedActions(
  catalog: Catalog,
  input: NormalizedStatement,
  keptActions: readonly string[],
  keptUnknown: readonly string[],
): string[] {
  if (input.actionKind === 'NotAction') return [...keptActions, ...keptUnknown].sort();
  const kept = new Set(keptActions);
  const unknownKept = new Set(keptUnknown);
  const plainPatterns = input.actions.filter((p) => !hasServiceWildcard(p));
  const plain = new Set(expandPatterns(catalog, plainPatterns).actions);
  const fullyKept = (actions: readonly string[]): boolean => actions.every((a) => kept.has(a));
  // what the patterns that stay as written grant, wherever they stand: never listed again
  const granted = new Set(
    plainPatterns.flatMap((p) => {
      const e = expandPattern(catalog, p);
      return e.kind === 'matched' && fullyKept(e.actions) ? e.actions : [];
    }),
  );
  const out: string[] = [];
  const written = new Set<string>();
  const write = (entry: string): void => {
    if (written.has(entry.toLowerCase())) return;
    written.add(entry.toLowerCase());
    out.push(entry);
  };
  for (const pattern of input.actions) {
    const e = expandPattern(catalog, pattern);
    if (e.kind === 'unknown') {
      if (unknownKept.has(pattern)) write(pattern);
    } else if (hasServiceWildcard(pattern)) {
      if (e.actions.some((a) => kept.has(a) && !plain.has(a))) write(pattern);
    } else if (fullyKept(e.actions)) {
      write(pattern);
    } else {
      for (const a of e.actions) if (kept.has(a) && !granted.has(a)) write(a);
    }
  }
  return out;
}

interface Kept {
  /** canonical ids, sorted */
  keptActions: string[];
  keptUnknown: string[];
  allowedCount: number;
  unknownCount: number;
}

function keptOf(catalog: Catalog, input: NormalizedStatement, keep: StatementKeep): Kept {
  const allowed = expandStatement(catalog, input);
  const allowedSet = new Set(allowed.actions);
  const keptActions = new Set<string>();
  for (const id of keep.actions) {
    const canonical = catalog.lookup(id)?.id ?? id;
    if (!allowedSet.has(canonical)) {
      throw invariantError(
        `rewrite: the keep-set for statement ${input.index} names ${id}, which that statement does not allow; ` +
          'keeping it would widen the policy',
      );
    }
    keptActions.add(canonical);
  }
  const keptUnknown: string[] = [];
  if (input.actionKind === 'Action') {
    for (const pattern of keep.unknown) {
      if (!allowed.unknown.includes(pattern)) {
        throw invariantError(
          `rewrite: the keep-set for statement ${input.index} names unknown pattern ${pattern}, which that statement ` +
            'does not contain',
        );
      }
      keptUnknown.push(pattern);
    }
  }
  return {
    keptActions: [...keptActions].sort(),
    keptUnknown,
    allowedCount: allowed.actions.length,
    unknownCount: allowed.unknown.length,
  };
}

// ---- self-verification ----

function verifyRewrite(
  catalog: Catalog,
  input: NormalizedPolicy,
  output: NormalizedPolicy,
  provenance: readonly StatementProvenance[],
  keep: ReadonlyMap<number, StatementKeep>,
): void {
  const fail = (message: string): never => {
    throw invariantError(`rewrite self-check failed: ${message}`);
  };
  const emitted = new Set(provenance.map((p) => p.inputIndex));
  for (const s of input.statements) {
    if (s.Effect === 'Deny' && !emitted.has(s.index)) fail(`Deny statement ${s.index} is missing from the output`);
  }
  for (const p of provenance) {
    const source = input.statements[p.inputIndex];
    const out = output.statements[p.outputIndex];
    if (!source || !out) return fail(`provenance ${p.outputIndex} → ${p.inputIndex} points nowhere`);
    const sourceJson = toStatementJson(source);
    const outJson = toStatementJson(out);
    if (p.change === 'unchanged') {
      if (JSON.stringify(sourceJson) !== JSON.stringify(outJson)) fail(`statement ${p.inputIndex} changed`);
      continue;
    }
    if (source.Effect !== 'Allow') fail(`a ${source.Effect} statement (${p.inputIndex}) was narrowed`);
    const sameScope =
      out.Sid === source.Sid &&
      out.Effect === source.Effect &&
      JSON.stringify([out.resourceKind, out.resources, out.Condition]) ===
        JSON.stringify([source.resourceKind, source.resources, source.Condition]);
    if (!sameScope) fail(`statement ${p.inputIndex} changed Sid, Effect, Resource or Condition`);
    const before = expandStatement(catalog, source);
    const after = expandPatterns(catalog, out.actions, out.actionKind === 'NotAction');
    const beforeSet = new Set(before.actions);
    const widened = after.actions.find((a) => !beforeSet.has(a));
    if (widened) fail(`statement ${p.inputIndex} now allows ${widened}, which it did not`);
    const unknownAdded = after.unknown.find((u) => source.actionKind === 'NotAction' || !before.unknown.includes(u));
    if (unknownAdded) fail(`statement ${p.inputIndex} now names ${unknownAdded}, which it did not allow`);
    const afterSet = new Set(after.actions);
    const wanted = keep.get(p.inputIndex);
    const lost = wanted && [...wanted.actions].find((a) => !afterSet.has(catalog.lookup(a)?.id ?? a));
    if (lost) fail(`statement ${p.inputIndex} lost kept action ${lost}`);
  }
}
