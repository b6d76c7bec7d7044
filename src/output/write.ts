import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { isLeastprivError, outputError } from '../errors.js';
import { createFolders, fsReason, missingFolders, removeFolders } from './folders.js';
import { folderOwnership, markerText, OUTPUT_MARKER, refuseForeign, snapshotFileOwnership, type Ownership } from './ownership.js';

/**
 * Writes `files` (relative path → text) as the folder `target`, all or nothing, with the marker that lets a later run
 * replace it (src/output/ownership.ts). Everything goes into a temporary folder beside the target, which is then
 * renamed into place; an existing target is replaced only when leastpriv wrote it, and refused otherwise before
 * anything is touched. On any error the temporary folder and any parent folder this call created are removed, and
 * `target` is left as it was. Messages name `target`, never the temporary names.
 */
export async function writeDirectoryAtomically(target: string, files: ReadonlyMap<string, string>): Promise<void> {
  for (const rel of files.keys()) {
    if (rel.startsWith('/') || rel.split('/').includes('..') || rel === OUTPUT_MARKER) {
      throw outputError(`cannot write ${target}: refusing the file name ${JSON.stringify(rel)}`);
    }
  }
  refuseForeign(await folderOwnership(target), target);
  const parent = dirname(target);
  const created = await createFolders(await missingFolders(parent, { label: parent }), parent);
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const temp = join(parent, `.leastpriv-tmp-${suffix}`);
  const old = join(parent, `.leastpriv-old-${suffix}`);
  try {
    await mkdir(temp);
    const all = new Map([...files, [OUTPUT_MARKER, markerText(files.keys())]]);
    for (const [rel, text] of all) {
      const path = join(temp, rel);
      // inside our own fresh folder, so recursive mkdir cannot meet the parent that refuses children
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, text, 'utf8');
    }
    await swapInto(target, temp, old, files);
  } catch (e) {
    await rm(temp, { recursive: true, force: true }).catch(() => undefined);
    await removeFolders(created);
    if (isLeastprivError(e)) throw e;
    throw outputError(`cannot write ${target}: ${fsReason(e)}`, e);
  }
}

/**
 * Renames `temp` to `target`; a target that exists (and was checked to be ours) moves aside first and is removed only
 * once the new one is in place. Checked again right before the swap: another process may have written there since.
 */
async function swapInto(target: string, temp: string, old: string, files: ReadonlyMap<string, string>): Promise<void> {
  const now = await folderOwnership(target);
  refuseForeign(now, target);
  if (now.kind !== 'absent') await refuseLosingRollbackRecords(target, files);
  if (now.kind === 'absent') {
    await rename(temp, target);
    return;
  }
  await rename(target, old);
  try {
    await rename(temp, target);
  } catch (e) {
    await rename(old, target);
    throw e;
  }
  await rm(old, { recursive: true, force: true });
}

/**
 * An output folder's original/ holds the documents as they were before a change, which its rollback commands read and
 * which IAM keeps nowhere else (inline policies have no versions). Run again into the same --out after applying, and
 * the new run's originals are the trimmed documents: replacing the folder would lose the only copy of what to roll
 * back to. So a folder is replaced only when every original/ file it holds is written again with the same bytes.
 */
export const ROLLBACK_RECORDS = 'original/';

async function refuseLosingRollbackRecords(target: string, files: ReadonlyMap<string, string>): Promise<void> {
  const records = await readdir(join(target, ROLLBACK_RECORDS)).catch(() => [] as string[]);
  for (const name of records.sort()) {
    const rel = `${ROLLBACK_RECORDS}${name}`;
    const old = await readFile(join(target, rel), 'utf8').catch(() => undefined);
    if (old !== undefined && files.get(rel) === old) continue;
    throw outputError(
      `${target} holds ${rel} from an earlier run, the original its rollback restores, and this run would ${files.has(rel) ? 'change' : 'drop'} it: ` +
        'nothing was changed (keep that folder with its ticket, and choose another --out)',
    );
  }
}

export interface WriteFileOptions {
  /** who owns an existing file at the target: only 'ours' or 'absent' is replaced */
  readonly ownership: (target: string) => Promise<Ownership>;
}

/** Writes a file all or nothing (a temporary file beside it, then a rename), replacing only a file leastpriv wrote. */
export async function writeFileAtomically(target: string, text: string, options: WriteFileOptions): Promise<void> {
  refuseForeign(await options.ownership(target), target);
  const parent = dirname(target);
  const created = await createFolders(await missingFolders(parent, { label: parent }), parent);
  const temp = join(parent, `.${basename(target)}.leastpriv-tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await writeFile(temp, text, 'utf8');
    refuseForeign(await options.ownership(target), target);
    await rename(temp, target);
  } catch (e) {
    await rm(temp, { force: true }).catch(() => undefined);
    await removeFolders(created);
    if (isLeastprivError(e)) throw e;
    throw outputError(`cannot write ${target}: ${fsReason(e)}`, e);
  }
}

/** A snapshot file (--snapshot-out): replaces an existing file only when it is a leastpriv snapshot. */
export function writeSnapshotFile(target: string, text: string): Promise<void> {
  return writeFileAtomically(target, text, { ownership: snapshotFileOwnership });
}
