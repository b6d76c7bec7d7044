import { num } from '../text.js';

/** Longest list of names written inline before "… and N more". Keeps a ticket readable for AdministratorAccess. */
export const LIST_LIMIT = 30;

/** inline code; a backtick inside would end it early */
export const code = (s: string): string => `\`${s.replace(/`/g, "'")}\``;
/** a table cell: a pipe or a line break would split the row */
export const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** names as inline code, `—` for none, the rest counted past `limit` */
export function nameList(names: readonly string[], limit = LIST_LIMIT): string {
  if (names.length === 0) return '—';
  const shown = names.slice(0, limit).map(code).join(', ');
  return names.length > limit ? `${shown} … and ${num(names.length - limit)} more` : shown;
}
