import { readFile } from 'node:fs/promises';

let cached: Promise<string> | undefined;

/**
 * leastpriv's own version, from the package.json above this module (src/ in the tree, dist/src/ when built):
 * recorded in every snapshot and recommendation so a reviewer knows what produced it.
 */
export function toolVersion(): Promise<string> {
  cached ??= (async () => {
    for (const up of ['../package.json', '../../package.json']) {
      try {
        const pkg = JSON.parse(await readFile(new URL(up, import.meta.url), 'utf8')) as { name?: string; version?: string };
        if (pkg.name === 'leastpriv' && typeof pkg.version === 'string') return pkg.version;
      } catch {
        // not at this level: try the next one up
      }
    }
    return 'unknown';
  })();
  return cached;
}
