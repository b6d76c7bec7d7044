import { lstat, readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { inputError } from '../errors.js';
import { fsReason } from '../output/folders.js';
import { readJsonFile } from '../cli/read-json.js';
import { snapshotSubjectArn } from '../snapshot/describe.js';
import { readSnapshot } from '../snapshot/validate.js';
import { parseSnapshotPath, type LaidOutSnapshot } from './layout.js';

/** A snapshot file found in a --snapshot-dir: its path relative to the folder ('/'-separated) and its place. */
export interface FoundSnapshot extends LaidOutSnapshot {
  readonly rel: string;
}

/**
 * The .json files below `dir`: those in the layout collect --all-* writes ([<account-id>/]<kind>/<name>.json), and the
 * others (`strays`), sorted. Other files (a temporary file a killed run left, notes) are not snapshots and not listed.
 */
export async function listSnapshotDir(dir: string): Promise<{ found: FoundSnapshot[]; strays: string[] }> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch (e) {
    throw inputError(`--snapshot-dir ${dir}: cannot be read: ${fsReason(e)}`);
  }
  const found: FoundSnapshot[] = [];
  const strays: string[] = [];
  const rels = entries
    .filter((e) => e.isFile() && e.name.endsWith('.json'))
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
  for (const rel of rels) {
    const laid = parseSnapshotPath(rel);
    if (laid === undefined) strays.push(rel);
    else found.push({ ...laid, rel });
  }
  return { found, strays };
}

/** A valid snapshot already in the folder: what it is about, and its subject as JSON (compared with the listing's). */
export interface StoredSnapshot {
  readonly arn: string;
  readonly subject: string;
}

/**
 * --resume: the snapshots already in `dir` that are valid, by relative path. A file that does not read or validate is
 * not listed, so its subject is collected again.
 */
export async function validSnapshots(dir: string): Promise<Map<string, StoredSnapshot>> {
  // the first run with --resume finds no folder yet: nothing to resume
  if ((await lstat(dir).catch(() => undefined)) === undefined) return new Map();
  const { found } = await listSnapshotDir(dir);
  const valid = new Map<string, StoredSnapshot>();
  for (const f of found) {
    try {
      const json = await readJsonFile(join(dir, f.rel));
      const { snapshot } = readSnapshot(json, f.rel);
      // the subject as the file holds it (the collector writes it in the order it builds it)
      valid.set(f.rel, { arn: snapshotSubjectArn(snapshot), subject: JSON.stringify((json as { subject?: unknown }).subject) });
    } catch {
      // invalid: collected again
    }
  }
  return valid;
}
