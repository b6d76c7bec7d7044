/** An IAM action glob (`*`, `?`, case-insensitive) as a predicate over action ids. */
export function actionGlob(pattern: string): (actionId: string) => boolean {
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  const re = new RegExp(`^${source}$`, 'i');
  return (actionId) => re.test(actionId);
}
