import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, lstat, mkdir, rmdir, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { outputError } from '../errors.js';

/**
 * Creating folders without `mkdir({ recursive: true })`: Node's recursive mkdir spins forever at 100% CPU where a
 * parent exists but refuses children with ENOENT (/proc, some FUSE mounts). Walking the path ourselves fails in one
 * step there, and tells us exactly which folders we created, so a failed run can take them away again.
 */

/** How a message names what the user gave: `label` (`--out DIR`, `--snapshot-out FILE`) names `labelPath`. */
export interface PathLabel {
  readonly label: string;
  /** the path `label` names; default the folder itself. A file's label names a path inside the folder. */
  readonly labelPath?: string;
}

/** The folders to create, outermost first, so that `path` exists; throws when an existing part is not a folder. */
export async function missingFolders(path: string, { label, labelPath = path }: PathLabel): Promise<string[]> {
  const missing: string[] = [];
  for (let dir = resolve(path); ; dir = dirname(dir)) {
    const stat = await lstat(dir).catch((e: NodeJS.ErrnoException) => {
      // ENOTDIR: a part above is a file; walking on up finds it and says so
      if (e.code === 'ENOENT' || e.code === 'ENOTDIR') return undefined;
      throw outputError(`${label}: cannot inspect ${dir}: ${fsReason(e)}`, e);
    });
    if (stat !== undefined) {
      if (!stat.isDirectory()) {
        throw outputError(
          dir === resolve(labelPath) ? `${label} is a file, not a folder` : `${label}: ${dir} is a file, not a folder`,
        );
      }
      return missing.reverse();
    }
    missing.push(dir);
    if (dirname(dir) === dir) return missing.reverse();
  }
}

/** Creates `folders` (outermost first) one by one; on failure removes the ones it made. Returns what it created. */
export async function createFolders(folders: readonly string[], label: string): Promise<string[]> {
  const created: string[] = [];
  for (const dir of folders) {
    try {
      await mkdir(dir);
      created.push(dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') continue;
      await removeFolders(created);
      throw outputError(`${label}: cannot create ${dir}: ${fsReason(e)}`, e);
    }
  }
  return created;
}

/** Removes folders this run created (innermost first), only while they are empty: never anyone else's files. */
export async function removeFolders(created: readonly string[]): Promise<void> {
  for (const dir of [...created].reverse()) await rmdir(dir).catch(() => undefined);
}

/**
 * Proves that `folder` can be created (where missing) and written to, and leaves nothing behind: the missing
 * folders are made, a probe file is written and removed, and the folders are removed again. Run before any AWS call,
 * so that a bad --out fails in a second and not after a ten-minute report job.
 */
export async function probeWritableFolder(folder: string, named: PathLabel): Promise<void> {
  const { label } = named;
  const created = await createFolders(await missingFolders(folder, named), label);
  const probe = join(resolve(folder), `.leastpriv-probe-${process.pid}-${randomBytes(4).toString('hex')}`);
  // the folder can say it is writable and still refuse new files (/proc does): the message names the step that failed
  let step = `cannot write in ${folder}`;
  try {
    await access(resolve(folder), constants.W_OK | constants.X_OK);
    step = `cannot create a file in ${folder}`;
    await writeFile(probe, '');
    await unlink(probe);
  } catch (e) {
    await unlink(probe).catch(() => undefined);
    throw outputError(`${label}: ${step}: ${fsReason(e)}`, e);
  } finally {
    await removeFolders(created);
  }
}

/** A file-system error as a few words a user can act on; never the error's own message, which names temporary paths. */
export function fsReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  const words: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
    ENOSPC: 'no space left on the device',
    EDQUOT: 'disk quota exceeded',
    ENOENT: 'no such file or directory',
    ENOTDIR: 'a part of the path is a file, not a folder',
    EISDIR: 'is a folder',
    ENAMETOOLONG: 'the name is too long',
    EXDEV: 'the temporary copy is on another device',
    EMFILE: 'too many open files',
    EBUSY: 'the file is busy',
  };
  if (code !== undefined && words[code] !== undefined) return `${words[code]} (${code})`;
  return code ?? (e instanceof Error ? e.message.replace(/\s+/g, ' ') : String(e));
}
