/**
 * The IAM glob as an anchored RegExp: case-insensitive, `*` matches any run of characters (also none), `?` exactly
 * one; every other character is literal, regex metacharacters included, so `s3:Get[*` is a pattern that matches only
 * names starting with `Get[`. The `s` flag lets `*` and `?` match line breaks too: IAM gives them no special meaning.
 * The RegExp has no `g` flag, so `test` keeps no state and one RegExp may be reused for many names.
 */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (const ch of glob) {
    if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else source += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'is');
}
