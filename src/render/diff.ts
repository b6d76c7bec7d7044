/**
 * A line diff (Myers' O(ND) greedy algorithm) and unified-diff formatting, written here to avoid a dependency.
 * Beyond MAX_EDITS the script degrades to "remove all, add all" (still a correct diff, only not minimal), which bounds
 * memory at O(MAX_EDITS²) for pathological inputs such as a 20,000-line AWS-managed policy replaced wholesale.
 */
export type Edit = { readonly op: ' ' | '-' | '+'; readonly line: string };

const MAX_EDITS = 2000;

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
  const max = Math.min(n + m, MAX_EDITS);
  const offset = max + 1;
  let v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    const next = v.slice();
    for (let k = -d; k <= d; k += 2) {
      let x: number;
      if (k === -d || (k !== d && (v[offset + k - 1] as number) < (v[offset + k + 1] as number))) x = v[offset + k + 1] as number;
      else x = (v[offset + k - 1] as number) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      next[offset + k] = x;
      if (x >= n && y >= m) return backtrack(trace, next, a, b, d, offset);
    }
    v = next;
  }
  return [...a.map((line): Edit => ({ op: '-', line })), ...b.map((line): Edit => ({ op: '+', line }))];
}

function backtrack(trace: Int32Array[], last: Int32Array, a: readonly string[], b: readonly string[], dEnd: number, offset: number): Edit[] {
  const edits: Edit[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = dEnd; d > 0; d--) {
    const v = trace[d] as Int32Array; // state before step d
    const k = x - y;
    const down = k === -d || (k !== d && (v[offset + k - 1] as number) < (v[offset + k + 1] as number));
    const prevK = down ? k + 1 : k - 1;
    const prevX = v[offset + prevK] as number;
    const prevY = prevX - prevK;
    while (x > (down ? prevX : prevX + 1) && y > (down ? prevY + 1 : prevY)) {
      edits.push({ op: ' ', line: a[--x] as string });
      y--;
    }
    if (down) edits.push({ op: '+', line: b[--y] as string });
    else edits.push({ op: '-', line: a[--x] as string });
  }
  while (x > 0 && y > 0) {
    edits.push({ op: ' ', line: a[--x] as string });
    y--;
  }
  void last;
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
