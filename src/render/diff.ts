/**
 * A line diff (Myers' O(ND) greedy algorithm) and unified-diff formatting, written here to avoid a dependency.
 * Beyond MAX_EDITS the script degrades to "remove all, add all" (still a correct diff, only not minimal), which bounds
 * memory and time at O(MAX_EDITS²) for pathological inputs such as a 20,000-line AWS-managed policy replaced wholesale.
 */
export type Edit = { readonly op: ' ' | '-' | '+'; readonly line: string };

const MAX_EDITS = 1000;

export function diffLines(a: readonly string[], b: readonly string[]): Edit[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const prefix = a.slice(0, start).map((line): Edit => ({ op: ' ', line }));
  const suffix = a.slice(endA).map((line): Edit => ({ op: ' ', line }));
  const middle = myers(a.slice(start, endA), b.slice(start, endB));
  return [...prefix, ...middle, ...suffix];
}

function myers(a: readonly string[], b: readonly string[]): Edit[] {
  const n = a.length;
  const m = b.length;
  const wholesale = (): Edit[] => [...a.map((line): Edit => ({ op: '-', line })), ...b.map((line): Edit => ({ op: '+', line }))];
  // at least |n − m| edits are needed: skip the search when that alone is over the budget
  if (Math.abs(n - m) > MAX_EDITS) return wholesale();
  const max = Math.min(n + m, MAX_EDITS);
  // trace[d] holds the furthest x on diagonals k = -d…d before step d, at index k + d (only the live window is kept)
  const trace: Int32Array[] = [];
  let v = new Int32Array(3); // d = 0: diagonal 1 starts at x = 0
  for (let d = 0; d <= max; d++) {
    const at = (k: number): number => (k < -d + 1 || k > d - 1 ? -1 : (v[k + d - 1] as number));
    const next = new Int32Array(2 * d + 1);
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
      let x = d === 0 ? 0 : down ? at(k + 1) : at(k - 1) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      next[k + d] = x;
      if (x >= n && y >= m) {
        trace.push(next);
        return backtrack(trace, a, b);
      }
    }
    trace.push(next);
    v = next;
  }
  return wholesale();
}

/** Walks the trace back from (n, m); trace[d][k + d] is the furthest x on diagonal k after d edits. */
function backtrack(trace: readonly Int32Array[], a: readonly string[], b: readonly string[]): Edit[] {
  const edits: Edit[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = trace.length - 1; d > 0; d--) {
    const prev = trace[d - 1] as Int32Array;
    const at = (k: number): number => (k < -(d - 1) || k > d - 1 ? -1 : (prev[k + d - 1] as number));
    const k = x - y;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const prevK = down ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    const startX = down ? prevX : prevX + 1;
    while (x > startX) {
      edits.push({ op: ' ', line: a[--x] as string });
      y--;
    }
    if (down) edits.push({ op: '+', line: b[--y] as string });
    else edits.push({ op: '-', line: a[--x] as string });
    x = prevX;
    y = prevY;
  }
  while (x > 0 && y > 0) {
    edits.push({ op: ' ', line: a[--x] as string });
    y--;
  }
  return edits.reverse();
}

export interface UnifiedDiffInput {
  /** `a/...` path, or undefined for a new file (/dev/null) */
  readonly oldPath?: string;
  /** `b/...` path, or undefined for a deleted file */
  readonly newPath?: string;
  readonly oldText: string;
  readonly newText: string;
  readonly context?: number;
}

const toLines = (text: string): string[] => (text === '' ? [] : text.replace(/\n$/, '').split('\n'));

/** A unified diff of two texts ending in newlines; empty when they are equal. */
export function unifiedDiff(input: UnifiedDiffInput): string {
  const context = input.context ?? 3;
  const edits = diffLines(toLines(input.oldText), toLines(input.newText));
  if (edits.every((e) => e.op === ' ')) return '';
  // positions: old/new line numbers (1-based) before each edit
  const pos: { o: number; n: number }[] = [];
  let o = 1;
  let n = 1;
  for (const e of edits) {
    pos.push({ o, n });
    if (e.op !== '+') o++;
    if (e.op !== '-') n++;
  }
  const changed = edits.map((e, i) => (e.op === ' ' ? -1 : i)).filter((i) => i >= 0);
  const hunks: [number, number][] = [];
  for (const i of changed) {
    const from = Math.max(0, i - context);
    const to = Math.min(edits.length - 1, i + context);
    const last = hunks[hunks.length - 1];
    if (last && from <= last[1] + 1) last[1] = Math.max(last[1], to);
    else hunks.push([from, to]);
  }
  const out = [`--- ${input.oldPath ?? '/dev/null'}`, `+++ ${input.newPath ?? '/dev/null'}`];
  for (const [from, to] of hunks) {
    const slice = edits.slice(from, to + 1);
    const oldCount = slice.filter((e) => e.op !== '+').length;
    const newCount = slice.filter((e) => e.op !== '-').length;
    const p = pos[from] as { o: number; n: number };
    const range = (start: number, count: number): string => `${count === 0 ? start - 1 : start},${count}`;
    out.push(`@@ -${range(p.o, oldCount)} +${range(p.n, newCount)} @@`);
    for (const e of slice) out.push(`${e.op}${e.line}`);
  }
  return out.join('\n') + '\n';
}
