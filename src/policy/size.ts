import { limitError } from '../errors.js';
import { num } from '../text.js';
import type { PrincipalType } from '../snapshot/types.js';
import { toPolicyDocument } from './print.js';
import type { NormalizedPolicy, PolicyDocument, PolicyStatementJson } from './types.js';

/** AWS's policy size quotas, in characters with whitespace not counted. */
export const AWS_LIMITS = {
  managedPolicy: 6144,
  inlineAggregate: { role: 10240, user: 2048, group: 5120 },
} as const;


/**
 * The size AWS counts: the document as compact JSON (no whitespace between tokens). Whitespace inside string values is
 * counted; AWS may not count it, so this can only over-estimate, which errs towards splitting too early, never towards
 * a document AWS rejects.
 */
export function policySize(doc: PolicyDocument | NormalizedPolicy): number {
  return JSON.stringify(isNormalized(doc) ? toPolicyDocument(doc) : doc).length;
}

function isNormalized(doc: PolicyDocument | NormalizedPolicy): doc is NormalizedPolicy {
  return (doc as NormalizedPolicy).statements !== undefined;
}

export function fitsManaged(doc: PolicyDocument | NormalizedPolicy, limit: number = AWS_LIMITS.managedPolicy): boolean {
  return policySize(doc) <= limit;
}

export function fitsInlineAggregate(
  principalType: PrincipalType,
  docs: readonly (PolicyDocument | NormalizedPolicy)[],
): { fits: boolean; size: number; limit: number } {
  const size = docs.reduce((sum, d) => sum + policySize(d), 0);
  const limit = AWS_LIMITS.inlineAggregate[principalType];
  return { fits: size <= limit, size, limit };
}

/**
 * Spreads a document's statements over as few managed-policy documents as a greedy first-fit in statement order
 * gives (order kept, deterministic). An Action list too long for one document is cut into several statements with
 * the same Effect, Resource and Condition (for Allow and Deny alike, a statement over A∪B means exactly what two
 * statements over A and B mean); their Sids get the lowest numeric suffixes that no other Sid of the document uses
 * (`A` beside an existing `A1` becomes `A2`, `A3`, ...), so Sids stay unique across the output. NotAction lists cannot be cut
 * (a NotAction over A∪B is not two NotActions), and neither can a statement whose Resource or Condition alone is too
 * big: those throw LeastprivError kind 'limit'.
 */
export function splitManagedPolicy(doc: PolicyDocument, limit: number = AWS_LIMITS.managedPolicy): PolicyDocument[] {
  const empty = (): PolicyDocument => ({ Version: doc.Version, ...(doc.Id === undefined ? {} : { Id: doc.Id }), Statement: [] });
  const emptySize = policySize(empty());
  // a statement adds its own JSON plus one comma separating it from the previous one
  const room = limit - emptySize;
  // Sids in use (compared case-insensitively, to be safe): a cut piece's numbered Sid must not repeat one
  const takenSids = new Set(doc.Statement.flatMap((s) => (s.Sid === undefined ? [] : [s.Sid.toLowerCase()])));
  const pieces = doc.Statement.flatMap((s, i) => cutStatement(s, i, room, takenSids));
  const out: PolicyDocument[] = [];
  let current = empty();
  let used = 0;
  for (const piece of pieces) {
    const cost = JSON.stringify(piece).length + (current.Statement.length > 0 ? 1 : 0);
    if (used + cost > room && current.Statement.length > 0) {
      out.push(current);
      current = empty();
      used = 0;
      current.Statement.push(piece);
      used = JSON.stringify(piece).length;
      continue;
    }
    current.Statement.push(piece);
    used += cost;
  }
  if (current.Statement.length > 0 || out.length === 0) out.push(current);
  return out;
}

function cutStatement(s: PolicyStatementJson, index: number, room: number, takenSids: Set<string>): PolicyStatementJson[] {
  const size = JSON.stringify(s).length;
  if (size <= room) return [s];
  const where = `statement ${index}${s.Sid === undefined ? '' : ` (Sid ${s.Sid})`}`;
  if (s.Action === undefined || typeof s.Action === 'string') {
    throw limitError(
      `${where} is ${num(size)} characters on its own, over the ${num(room)} a managed policy leaves for statements; ` +
        (s.NotAction === undefined ? 'its Resource or Condition is too large' : 'a NotAction list cannot be split'),
    );
  }
  // a piece's suffix number never exceeds (pieces + Sids skipped) <= actions + Sids taken: reserve that many digits
  const suffixDigits = String(s.Action.length + takenSids.size).length;
  const shell = { ...s, Sid: s.Sid === undefined ? undefined : `${s.Sid}${'9'.repeat(suffixDigits)}`, Action: [] as string[] };
  const shellSize = JSON.stringify(shell).length;
  const chunks: string[][] = [];
  let chunk: string[] = [];
  let used = shellSize;
  for (const action of s.Action) {
    const cost = JSON.stringify(action).length + (chunk.length > 0 ? 1 : 0);
    if (used + cost > room) {
      if (chunk.length === 0) throw limitError(`${where} cannot fit even one action in a managed policy`);
      chunks.push(chunk);
      chunk = [];
      used = shellSize;
      used += JSON.stringify(action).length;
      chunk.push(action);
      continue;
    }
    chunk.push(action);
    used += cost;
  }
  if (chunk.length > 0) chunks.push(chunk);
  const sid = s.Sid;
  let suffix = 0;
  const nextSid = (base: string): string => {
    let candidate: string;
    do candidate = `${base}${++suffix}`;
    while (takenSids.has(candidate.toLowerCase()));
    takenSids.add(candidate.toLowerCase());
    return candidate;
  };
  return chunks.map((actions) => ({
    ...(sid === undefined ? {} : { Sid: nextSid(sid) }),
    Effect: s.Effect,
    Action: actions.length === 1 ? (actions[0] as string) : actions,
    ...(s.Resource === undefined ? {} : { Resource: s.Resource }),
    ...(s.NotResource === undefined ? {} : { NotResource: s.NotResource }),
    ...(s.Condition === undefined ? {} : { Condition: s.Condition }),
  }));
}
