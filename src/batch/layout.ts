import type { AccountSubjectKind, SubjectKey } from './types.js';

/**
 * One layout for the snapshot folder and the output folder, so that `recommend --snapshot-dir` mirrors what
 * `collect --all-*` wrote: [<account-id>/]<kind>/<name>, `.json` added for the snapshot. The account level is there
 * only when the run spans accounts (--accounts, --organization).
 */

export const SUBJECT_KINDS: readonly AccountSubjectKind[] = ['role', 'user', 'group', 'policy'];

const ACCOUNT_ID = /^\d{12}$/;

/** `role/app` or `111122223333/role/app`, '/'-separated */
export function subjectPath(key: SubjectKey, perAccount: boolean): string {
  return perAccount ? `${key.account}/${key.kind}/${key.name}` : `${key.kind}/${key.name}`;
}

/** the snapshot file of a subject, relative to --snapshot-dir */
export const snapshotPath = (key: SubjectKey, perAccount: boolean): string => `${subjectPath(key, perAccount)}.json`;

/** A snapshot file's place in the layout, read back from its path (relative, '/'-separated). */
export interface LaidOutSnapshot {
  readonly account?: string;
  readonly kind: AccountSubjectKind;
  readonly name: string;
}

/** `role/app.json` or `111122223333/role/app.json` → its parts; undefined when the path is not of the layout */
export function parseSnapshotPath(rel: string): LaidOutSnapshot | undefined {
  if (!rel.endsWith('.json')) return undefined;
  const parts = rel.slice(0, -'.json'.length).split('/');
  const [account, kind, name] = parts.length === 3 ? parts : [undefined, ...parts];
  if (parts.length < 2 || parts.length > 3 || (account !== undefined && !ACCOUNT_ID.test(account))) return undefined;
  if (!SUBJECT_KINDS.includes(kind as AccountSubjectKind) || name === undefined || name === '') return undefined;
  return { ...(account === undefined ? {} : { account }), kind: kind as AccountSubjectKind, name };
}

/**
 * IAM's name characters allow "." and "..", which as folder names would step out of their kind's folder: such a
 * subject fails alone (the same refusal a single `recommend --out` gives).
 */
export function unsafeFolderName(name: string): boolean {
  return name === '.' || name === '..' || /[/\\\0]/.test(name);
}
