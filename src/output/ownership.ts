import { lstat, readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { outputError } from '../errors.js';
import { fsReason } from './folders.js';
import { INDEX_FIRST_LINE } from '../render/index-md.js';
import { SUMMARY_SCHEMA_ID, SUMMARY_WRITTEN_BY } from '../render/summary.js';

/**
 * leastpriv replaces only what it wrote. Each output folder carries this marker, which lists the files leastpriv put
 * there; an existing folder is replaced only when it holds nothing else. The list is what makes "never delete a file
 * it did not write" hold even when someone adds a note to an old output folder.
 */
export const OUTPUT_MARKER = '.leastpriv-output.json';

interface MarkerFile {
  readonly writtenBy: 'leastpriv';
  readonly note: string;
  readonly files: readonly string[];
}

/** The marker's text for a folder of `files` (relative paths): sorted, so the same output gives the same bytes. */
export function markerText(files: Iterable<string>): string {
  const marker: MarkerFile = {
    writtenBy: 'leastpriv',
    note: 'leastpriv wrote this folder and replaces it on a later run only while it holds nothing but these files',
    files: [...files].sort(),
  };
  return `${JSON.stringify(marker, null, 2)}\n`;
}

/** Whether a path may be replaced: absent, written by leastpriv, or someone else's (with what shows it). */
export type Ownership =
  | { readonly kind: 'absent' }
  | { readonly kind: 'ours' }
  /** `remedy` replaces the default advice when the path could never be ours (a folder where a file goes) */
  | { readonly kind: 'foreign'; readonly why: string; readonly remedy?: string };

/**
 * Who owns the output folder `target`. Ours: a folder with the marker and no file outside its list, or an empty
 * folder, or a folder written before the marker existed (a leastpriv recommendation.json and only the files of that
 * layout). Anything else — a file, a link, a folder with other files — is someone else's.
 */
export async function folderOwnership(target: string): Promise<Ownership> {
  const stat = await lstatOrUndefined(target);
  if (stat === undefined) return { kind: 'absent' };
  if (stat.isSymbolicLink()) return { kind: 'foreign', why: 'is a symbolic link' };
  if (!stat.isDirectory()) return { kind: 'foreign', why: 'is a file' };
  const files = await filesBelow(target);
  if (files.length === 0) return { kind: 'ours' };
  const listed = (await markedFiles(target)) ?? (await legacyOutputFiles(target));
  if (listed === undefined) return { kind: 'foreign', why: `holds ${describeFiles(files)}` };
  const others = files.filter((f) => f !== OUTPUT_MARKER && !listed.has(f));
  return others.length === 0 ? { kind: 'ours' } : { kind: 'foreign', why: `holds ${describeFiles(others)}, which leastpriv did not write` };
}

/**
 * Who owns `target` as a snapshot file: absent, a leastpriv snapshot (a JSON object with a numeric schemaVersion and
 * the collection record leastpriv writes), or anything else.
 */
export async function snapshotFileOwnership(target: string): Promise<Ownership> {
  const stat = await lstatOrUndefined(target);
  if (stat === undefined) return { kind: 'absent' };
  if (stat.isSymbolicLink()) return { kind: 'foreign', why: 'is a symbolic link' };
  if (stat.isDirectory()) return { kind: 'foreign', why: 'is a folder', remedy: 'give a file name' };
  if (!stat.isFile()) return { kind: 'foreign', why: 'is not a regular file' };
  const json = await readJson(target);
  const collection = isObject(json) ? json['collection'] : undefined;
  const ours = isObject(json) && typeof json['schemaVersion'] === 'number' && isObject(collection) && typeof collection['ToolVersion'] === 'string';
  return ours ? { kind: 'ours' } : { kind: 'foreign', why: 'exists and is not a leastpriv snapshot' };
}

/** Throws the one-line refusal when `ownership` is foreign; `what` names the path as the user gave it. */
export function refuseForeign(ownership: Ownership, what: string): void {
  if (ownership.kind !== 'foreign') return;
  const remedy = ownership.remedy ?? 'leastpriv replaces only what it wrote, so nothing was changed (move it away or choose another path)';
  throw outputError(`${what} ${ownership.why}: ${remedy}`);
}

async function markedFiles(target: string): Promise<Set<string> | undefined> {
  const marker = await readJson(join(target, OUTPUT_MARKER));
  if (!isObject(marker) || marker['writtenBy'] !== 'leastpriv' || !Array.isArray(marker['files'])) return undefined;
  return new Set(marker['files'].filter((f): f is string => typeof f === 'string'));
}

/**
 * What leastpriv wrote before folders were marked: its recommendation.json, explanation.md, diff.patch, and the
 * policies/ files that recommendation.json names as its proposal (a policies/ file it does not name is someone's).
 */
async function legacyOutputFiles(target: string): Promise<Set<string> | undefined> {
  const rec = await readJson(join(target, 'recommendation.json'));
  const tool = isObject(rec) ? rec['tool'] : undefined;
  if (!isObject(rec) || !isObject(tool) || tool['name'] !== 'leastpriv') return undefined;
  const policies = Array.isArray(rec['policies']) ? rec['policies'] : [];
  const proposed = policies.flatMap((p) => (isObject(p) && Array.isArray(p['proposed']) ? p['proposed'] : []));
  const named = proposed.map((d) => (isObject(d) ? d['file'] : undefined)).filter((f): f is string => typeof f === 'string');
  return new Set(['recommendation.json', 'explanation.md', 'diff.patch', ...named]);
}

/** Every file and link below `dir` (folders themselves are not content), as '/'-separated relative paths. */
async function filesBelow(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true, recursive: true });
    return entries
      .filter((e) => !e.isDirectory())
      .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
      .sort();
  } catch (e) {
    throw outputError(`cannot read ${dir}: ${fsReason(e)}`, e);
  }
}

function describeFiles(files: readonly string[]): string {
  const [first] = files;
  return files.length === 1 ? (first ?? '') : `${first ?? ''} and ${files.length - 1} other ${files.length === 2 ? 'file' : 'files'}`;
}

async function lstatOrUndefined(path: string): Promise<Awaited<ReturnType<typeof lstat>> | undefined> {
  try {
    return await lstat(path);
  } catch (e) {
    // ENOTDIR: a part of the path is a file, so nothing exists here; whoever creates the folders says so
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw outputError(`cannot inspect ${path}: ${fsReason(e)}`, e);
  }
}

/** parsed JSON, or undefined when the file is missing, unreadable or not JSON */
async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse((await readFile(path, 'utf8')).replace(/^\uFEFF/, '')) as unknown;
  } catch {
    return undefined;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Who owns `target` as an account-wide run's index.md: ours when its first line is the one leastpriv writes there. */
export async function indexFileOwnership(target: string): Promise<Ownership> {
  return reportFileOwnership(target, (text) => text.split('\n', 1)[0] === INDEX_FIRST_LINE, 'an index leastpriv wrote');
}

/** Who owns `target` as an account-wide run's summary.json: ours when it is JSON with leastpriv's writtenBy and $schema. */
export async function summaryFileOwnership(target: string): Promise<Ownership> {
  return reportFileOwnership(
    target,
    (text) => {
      const json = parseOrUndefined(text);
      return isObject(json) && json['writtenBy'] === SUMMARY_WRITTEN_BY && json['$schema'] === SUMMARY_SCHEMA_ID;
    },
    'a summary leastpriv wrote',
  );
}

async function reportFileOwnership(target: string, ours: (text: string) => boolean, what: string): Promise<Ownership> {
  const stat = await lstatOrUndefined(target);
  if (stat === undefined) return { kind: 'absent' };
  if (stat.isSymbolicLink()) return { kind: 'foreign', why: 'is a symbolic link' };
  if (stat.isDirectory()) return { kind: 'foreign', why: 'is a folder' };
  if (!stat.isFile()) return { kind: 'foreign', why: 'is not a regular file' };
  const text = await readFile(target, 'utf8').catch(() => undefined);
  return text !== undefined && ours(text.replace(/^\uFEFF/, '')) ? { kind: 'ours' } : { kind: 'foreign', why: `exists and is not ${what}` };
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
