import type { Catalog } from '../catalog/catalog.js';
import { isLeastprivError } from '../errors.js';
import { AWS_LIMITS, fitsManaged, policySize, splitManagedPolicy } from '../policy/index.js';
import type { NormalizedPolicy, PolicyDocument } from '../policy/types.js';
import type { PolicyAnalysis } from '../analyze/types.js';
import { fitSearch, type FitSearchInput, type Prepared } from './fit-search.js';
import type { KeptWhole } from './plan-facts.js';
import { trimPolicy, type Trimmed } from './trim.js';
import { futureSafeCompaction } from './future-safe.js';

const TOO_LARGE_IN_PLACE = 'even compacted, the trimmed document exceeds the 6,144-character managed-policy limit';

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
  if (!opts.allowSplit) return { kind: 'too-large', message: TOO_LARGE_IN_PLACE };
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

/**
 * For a fit search over one managed policy updated in place (one document): each trimmed document made to fit alone
 * (as is, else compacted), measured against 6,144 characters.
 */
export function managedInPlace(catalog: Catalog): Pick<FitSearchInput, 'prepare' | 'measure'> {
  return {
    prepare: (trimmed, pa): Prepared => {
      const fit = fitManaged(catalog, trimmed.document, { allowSplit: false, original: pa.policy });
      if (fit.kind === 'fits') return { kind: 'fits', documents: fit.documents, introducedWildcards: fit.introducedWildcards };
      return { kind: 'too-large', documents: [futureSafeCompaction(catalog, trimmed.document, pa.policy).document], message: fit.message };
    },
    measure: (documents) => {
      const doc = documents[0]?.[0];
      const size = doc === undefined ? 0 : policySize(doc);
      return { fits: size <= AWS_LIMITS.managedPolicy, size, limit: AWS_LIMITS.managedPolicy };
    },
  };
}

/**
 * A customer-managed policy updated in place: the trimmed version that fits 6,144 characters and removes the most
 * (fit-search.ts), with the parts it carries as written; too-large only when even the original does not fit.
 */
export function fitManagedInPlace(input: {
  catalog: Catalog;
  pa: PolicyAnalysis;
  removable: readonly string[];
  held: readonly string[];
}): { trimmed: Trimmed; fit: ManagedFit; whole: readonly KeptWhole[] } {
  const { catalog, pa, removable, held } = input;
  const result = fitSearch({ catalog, policies: [{ pa, removable, held }], ...managedInPlace(catalog) });
  const only = result.policies[0];
  // a search that had to carry everything as written found that only the original fits
  if (!result.fits || only === undefined || only.prepared.kind !== 'fits' || only.trimmed.lost.length === 0) {
    const trimmed = only?.trimmed ?? trimPolicy({ catalog, pa, removable, held });
    const message = only?.prepared.kind === 'too-large' ? only.prepared.message : TOO_LARGE_IN_PLACE;
    return { trimmed, fit: { kind: 'too-large', message }, whole: [] };
  }
  return {
    trimmed: only.trimmed,
    fit: { kind: 'fits', documents: only.prepared.documents, introducedWildcards: only.prepared.introducedWildcards },
    whole: only.keptWhole,
  };
}
