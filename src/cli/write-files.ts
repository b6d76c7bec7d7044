import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { outputError } from '../errors.js';

/**
 * Writes `files` (relative path → text) as the directory `target`, all or nothing: everything goes into a temporary
 * directory beside it, which is then renamed into place (an existing target is swapped out and removed). On any error
 * the temporary directory is removed and `target` is left as it was.
 */
export async function writeDirectoryAtomically(target: string, files: ReadonlyMap<string, string>): Promise<void> {
  const parent = dirname(target);
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const temp = join(parent, `.leastpriv-tmp-${suffix}`);
  const old = join(parent, `.leastpriv-old-${suffix}`);
  try {
    await mkdir(temp, { recursive: true });
    for (const [rel, text] of files) {
      if (rel.startsWith('/') || rel.split('/').includes('..')) throw new Error(`refusing to write outside the output: ${rel}`);
      const path = join(temp, rel);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, text, 'utf8');
    }
    let swapped = false;
    try {
      await rename(target, old);
      swapped = true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    try {
      await rename(temp, target);
    } catch (e) {
      if (swapped) await rename(old, target);
      throw e;
    }
    if (swapped) await rm(old, { recursive: true, force: true });
  } catch (e) {
    await rm(temp, { recursive: true, force: true }).catch(() => undefined);
    throw outputError(`cannot write ${target}: ${(e as Error).message}`, e);
  }
}

/** Writes a file all or nothing: a temporary file beside it, then a rename. */
export async function writeFileAtomically(target: string, text: string): Promise<void> {
  const temp = join(dirname(target), `.${basename(target)}.leastpriv-tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await writeFile(temp, text, 'utf8');
    await rename(temp, target);
  } catch (e) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw outputError(`cannot write ${target}: ${(e as Error).message}`, e);
  }
}
