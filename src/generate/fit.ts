import type { Catalog } from '../catalog/catalog.js';
import { isLeastprivError } from '../errors.js';
import { fitsManaged, splitManagedPolicy } from '../policy/index.js';
import type { NormalizedPolicy, PolicyDocument } from '../policy/types.js';
import { futureSafeCompaction } from './future-safe.js';

export type ManagedFit =
  | { readonly kind: 'fits'; readonly documents: readonly PolicyDocument[]; readonly introducedWildcards: readonly string[] }
  | { readonly kind: 'too-large'; readonly message: string };

/**
 * Makes a managed-policy document fit 6,144 characters: as is when it does (explicit action lists are what a
 * reviewer can read), else compacted (wildcards matching only kept actions, and only where the original already
 * granted everything they can match: see future-safe.ts), else — when the caller can attach
 * several policies — split by statement.
 */
export function fitManaged(
  catalog: Catalog,
  doc: PolicyDocument,
  opts: { allowSplit: boolean; original: NormalizedPolicy },
): ManagedFit {
  if (fitsManaged(doc)) return { kind: 'fits', documents: [doc], introducedWildcards: [] };
  const compacted = futureSafeCompaction(catalog, doc, opts.original);
  if (fitsManaged(compacted.document)) {
    return { kind: 'fits', documents: [compacted.document], introducedWildcards: compacted.introducedWildcards };
  }
  if (!opts.allowSplit) {
    return { kind: 'too-large', message: 'even compacted, the trimmed document exceeds the 6,144-character managed-policy limit' };
  }
  // splitting would cut a Deny statement into numbered pieces: the same denial, but Deny statements are carried byte
  // for byte or not at all
  const bigDeny = compacted.document.Statement.findIndex(
    (s) => s.Effect === 'Deny' && !fitsManaged({ Version: doc.Version, Statement: [s] }),
  );
  if (bigDeny >= 0) {
    const sid = compacted.document.Statement[bigDeny]?.Sid;
    return {
      kind: 'too-large',
      message: `a Deny statement${sid === undefined ? '' : ` (Sid ${sid})`} alone exceeds the 6,144-character managed-policy limit, and Deny statements are never cut or rewritten`,
    };
  }
  try {
    return {
      kind: 'fits',
      documents: splitManagedPolicy(compacted.document),
      introducedWildcards: compacted.introducedWildcards,
    };
  } catch (e) {
    if (isLeastprivError(e) && e.kind === 'limit') return { kind: 'too-large', message: e.message };
    throw e;
  }
}
