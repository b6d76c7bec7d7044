import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/** Link targets of a Markdown text: inline links and images, reference definitions, HTML href/src; code is no link. */
export function linkTargets(text: string): string[] {
  const prose = text.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
  const patterns = [/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g, /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm, /\b(?:href|src)="([^"]+)"/g];
  return patterns.flatMap((p) => [...prose.matchAll(p)].map((m) => m[1] ?? ''));
}

/** A target with a scheme (https:, mailto:) or only a fragment is not a file of the package. */
const isRelative = (target: string): boolean => target !== '' && !/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.startsWith('#');

/**
 * The relative link targets in `file` (a path under `root`) that name no file or folder under `root`, in order.
 * A fragment or query is ignored: the file is what a packed tarball can lack.
 */
export function brokenRelativeLinks(input: { root: string; file: string; text: string }): string[] {
  return linkTargets(input.text)
    .filter(isRelative)
    .filter((target) => {
      const path = join(input.root, dirname(input.file), decodeURIComponent(target.replace(/[?#].*$/, '')));
      return relative(input.root, path).startsWith('..') || !existsSync(path);
    });
}
