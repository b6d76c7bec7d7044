import type { PolicyAnalysis } from '../analyze/types.js';
import type { Catalog } from '../catalog/catalog.js';
import { expandStatement, policySize, rewritePolicy, type StatementKeep } from '../policy/index.js';
import type { NormalizedStatement, PolicyDocument } from '../policy/types.js';
import { sorted } from './plan.js';
import type { StatementChange } from './types.js';
import { keepWholeServices } from './whole-services.js';

export interface TrimInput {
  readonly catalog: Catalog;
  readonly pa: PolicyAnalysis;
  /** removable actions no held statement still grants */
  readonly removable: readonly string[];
  /** unused actions that stay with held statements */
  readonly held: readonly string[];
  /** parts to carry as written (for size): their unused actions stay */
  readonly keepAsWritten?: readonly KeepUnit[];
}

/**
 * A part of a policy carried as written: a whole statement, or one service's part of it (its own patterns as the
 * original wrote them, or `service:*` under `*` or a NotAction that excludes nothing of it).
 */
export interface KeepUnit {
  readonly index: number;
  /** lower-case service prefix; absent: the whole statement */
  readonly service?: string;
}

export interface Trimmed {
  readonly document: PolicyDocument;
  /** what the policy really stops granting */
  readonly lost: readonly string[];
  /** unused actions it still grants: held, kept whole, or matched by a pattern the rewrite keeps verbatim */
  readonly notLost: readonly string[];
  readonly statements: readonly StatementChange[];
  /** per narrowed input statement: characters its narrowed form adds (negative: saves), as AWS counts */
  readonly growth: ReadonlyMap<number, number>;
  /** input statement index → index of its narrowed form in `document` */
  readonly outputOf: ReadonlyMap<number, number>;
  /** per input statement, the removable actions it still loses (after the parts kept as written) */
  readonly losing: ReadonlyMap<number, readonly string[]>;
}

/**
 * Narrows a policy's Allow statements to what stays, then works out what it really stops granting. Pure; shared by
 * every planner that trims a document.
 */
export function trimPolicy(input: TrimInput): Trimmed {
  const { catalog, pa, removable, held } = input;
  const units = input.keepAsWritten ?? [];
  const whole = new Set(units.filter((u) => u.service === undefined).map((u) => u.index));
  const keep = new Map<number, StatementKeep>();
  const losing = new Map<number, readonly string[]>();
  for (const s of pa.statements) {
    if (s.effect !== 'Allow' || s.removable.length === 0 || whole.has(s.index)) continue;
    const keptServices = new Set(units.filter((u) => u.index === s.index && u.service !== undefined).map((u) => u.service));
    const gone = new Set(s.removable.filter((a) => !keptServices.has(serviceOf(a))));
    if (gone.size === 0) continue;
    losing.set(s.index, [...gone]);
    keep.set(s.index, { actions: new Set(s.allowed.filter((a) => !gone.has(a))), unknown: new Set(s.unknown) });
  }
  const rewrite = rewritePolicy(catalog, pa.policy, keep);
  const document = keepWholeServices({ catalog, document: rewrite.document, original: pa.policy, provenance: rewrite.provenance });
  // what the policy really stops granting: a pattern the rewrite keeps verbatim (a wildcard in the service prefix,
  // `*:*`) still grants the unused actions it matches, and those must not be reported as removed
  const stillGranted = new Set(
    rewrite.policy.statements.filter((s) => s.Effect === 'Allow').flatMap((s) => expandStatement(catalog, s).actions),
  );
  const lost = removable.filter((a) => !stillGranted.has(a));
  const notLost = sorted([...held, ...removable.filter((a) => stillGranted.has(a))]);

  const dropped = new Set(rewrite.dropped);
  const outputOf = new Map(rewrite.provenance.filter((p) => p.change === 'narrowed').map((p) => [p.inputIndex, p.outputIndex]));
  const growth = new Map<number, number>();
  const statements: StatementChange[] = pa.statements.map((s) => {
    const out = outputOf.get(s.index);
    const outStatement = out === undefined ? undefined : (rewrite.policy.statements[out] as NormalizedStatement);
    const outAllowed = outStatement === undefined ? undefined : new Set(expandStatement(catalog, outStatement).actions);
    const removedActions = dropped.has(s.index) ? s.removable.length : outAllowed ? s.removable.filter((a) => !outAllowed.has(a)).length : 0;
    const original = pa.policy.statements.find((o) => o.index === s.index);
    if (outStatement !== undefined && original !== undefined) {
      growth.set(s.index, statementSize(outStatement) - statementSize(original));
    }
    return {
      index: s.index,
      ...(s.Sid ? { Sid: s.Sid } : {}),
      effect: s.effect,
      change: dropped.has(s.index) ? 'dropped' : removedActions > 0 ? 'narrowed' : 'unchanged',
      removedActions,
    };
  });
  return { document, lost, notLost, statements, growth, outputOf, losing };
}

const serviceOf = (action: string): string => action.slice(0, action.indexOf(':')).toLowerCase();

const statementSize = (s: NormalizedStatement): number => policySize({ Version: '2012-10-17', statements: [s] });
