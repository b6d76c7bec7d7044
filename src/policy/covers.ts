import { globToRegExp } from './glob.js';
import type { NormalizedStatement } from './types.js';

/**
 * Whether a statement grants everything a `service:Prefix*` wildcard can ever match, today's actions and those AWS
 * adds later: the test that an introduced wildcard, or a `service:*` written for a narrowed `*`, is no wider than the
 * original. Conservative: anything not provably covered is refused.
 */

interface Split {
  service: string;
  name: string;
}

const split = (pattern: string): Split | undefined => {
  const i = pattern.indexOf(':');
  return i < 0 ? undefined : { service: pattern.slice(0, i).toLowerCase(), name: pattern.slice(i + 1).toLowerCase() };
};

const literal = (s: string): boolean => !/[*?]/.test(s);

/** `Prefix` of a `Prefix*` name pattern with no other wildcard, else undefined */
const prefixOf = (name: string): string | undefined => (name.endsWith('*') && literal(name.slice(0, -1)) ? name.slice(0, -1) : undefined);

/** does statement `s` allow every action (today's and future) that `wildcard` (`svc:Prefix*`) matches? */
export function grantsEverything(s: NormalizedStatement, wildcard: string): boolean {
  const w = split(wildcard);
  const wPrefix = w && prefixOf(w.name);
  if (!w || wPrefix === undefined || !literal(w.service)) return false;
  if (s.actionKind === 'Action') return s.actions.some((p) => covers(p, w.service, wPrefix));
  return s.actions.every((e) => disjoint(e, w.service, wPrefix));
}

/** pattern P matches every `service:<wPrefix>…` */
function covers(pattern: string, service: string, wPrefix: string): boolean {
  if (pattern === '*') return true;
  const p = split(pattern);
  // a wildcard in the service prefix is never read as covering a service: AWS does not document that reading
  if (!p || !literal(p.service) || p.service !== service) return false;
  const pPrefix = prefixOf(p.name);
  return pPrefix !== undefined && wPrefix.startsWith(pPrefix);
}

/** excluded pattern E matches no `service:<wPrefix>…` */
function disjoint(excluded: string, service: string, wPrefix: string): boolean {
  if (excluded === '*') return false;
  const e = split(excluded);
  if (!e) return false;
  if (!globToRegExp(e.service).test(service)) return true;
  if (literal(e.name)) return !e.name.startsWith(wPrefix);
  const ePrefix = prefixOf(e.name);
  return ePrefix !== undefined && !ePrefix.startsWith(wPrefix) && !wPrefix.startsWith(ePrefix);
}
