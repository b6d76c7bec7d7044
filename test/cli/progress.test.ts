import { describe, expect, it } from 'vitest';
import type { CollectProgressEvent } from '../../src/collect/call.js';
import type { CliIo } from '../../src/cli/exit.js';
import { progressLine } from '../../src/cli/progress.js';

const ARN = 'arn:aws:iam::111122223333:role/app';
const ERASE = '\r\x1b[2K';
const job = (kind: Exclude<CollectProgressEvent['kind'], 'report-generation-waiting'>, polls = 0, jobId = 'job-1', arn = ARN): CollectProgressEvent =>
  kind === 'report-polled' ? { kind, arn, jobId, polls } : { kind, arn, jobId };

/** a fake terminal (or a plain stream) that keeps every write, a clock the test sets, and a redraw timer it fires */
function fakeStderr(options: { terminal: boolean; columns?: number }) {
  const writes: string[] = [];
  let clock = 1_000_000;
  let tick: (() => void) | undefined;
  let timers = 0;
  const io: CliIo = {
    stdout: () => {},
    stderr: (text) => writes.push(text),
    ...(options.terminal ? { stderrTerminal: { columns: () => options.columns } } : {}),
  };
  const line = progressLine({
    io,
    now: () => clock,
    every: (_ms, fn) => {
      timers++;
      tick = fn;
      return { stop: () => (tick = undefined) };
    },
  });
  return {
    line,
    writes,
    advance: (ms: number) => {
      clock += ms;
      tick?.();
    },
    timerRunning: () => tick !== undefined,
    timersStarted: () => timers,
  };
}

describe('the status line of the report wait', () => {
  it('on a terminal: one line redrawn in place with the time since the job started and the polls, erased at the end', () => {
    const t = fakeStderr({ terminal: true, columns: 200 });
    t.line.onProgress(job('report-wait-started'));
    t.advance(1_000);
    t.line.onProgress(job('report-polled', 1));
    t.advance(11_500);
    t.line.onProgress(job('report-polled', 5));
    t.line.onProgress(job('report-wait-ended'));
    const status = (seconds: number, polls: string) =>
      `${ERASE}waiting for the last-accessed report of ${ARN}: job started ${seconds} s ago, ${polls}`;
    expect(t.writes).toEqual([
      status(0, '0 polls'),
      status(1, '0 polls'),
      status(1, '1 poll'),
      status(12, '1 poll'),
      status(12, '5 polls'),
      ERASE,
    ]);
    expect(t.timerRunning()).toBe(false);
  });

  it('a line of its own (a warning) is written above the status line, which is drawn again after it', () => {
    const t = fakeStderr({ terminal: true, columns: 200 });
    t.line.onProgress(job('report-wait-started'));
    t.line.print('leastpriv: warning: something');
    expect(t.writes.slice(1)).toEqual([
      ERASE,
      'leastpriv: warning: something\n',
      `${ERASE}waiting for the last-accessed report of ${ARN}: job started 0 s ago, 0 polls`,
    ]);
  });

  it('finish() erases the line and stops the redraws when the collection fails mid-wait', () => {
    const t = fakeStderr({ terminal: true, columns: 200 });
    t.line.onProgress(job('report-wait-started'));
    t.line.finish();
    expect(t.writes.at(-1)).toBe(ERASE);
    expect(t.timerRunning()).toBe(false);
    t.advance(5_000);
    expect(t.writes.at(-1)).toBe(ERASE);
  });

  it('fits the terminal: a wrapped line could not be erased in place', () => {
    const t = fakeStderr({ terminal: true, columns: 40 });
    t.line.onProgress(job('report-wait-started'));
    const drawn = (t.writes[0] ?? '').slice(ERASE.length);
    expect(drawn).toBe('waiting for the last-accessed report o…');
    expect(drawn.length).toBe(39);
  });

  it.each([0, undefined])('a terminal reporting %s columns does not know its width: 80 are assumed', (columns) => {
    const t = fakeStderr({ terminal: true, ...(columns !== undefined ? { columns } : {}) });
    t.line.onProgress(job('report-wait-started'));
    const drawn = (t.writes[0] ?? '').slice(ERASE.length);
    expect(drawn.length).toBe(79);
    expect(drawn).toMatch(/^waiting for the last-accessed report of .*…$/);
  });

  it('two reports at once: one line, the first wait, and how many more', () => {
    const t = fakeStderr({ terminal: true, columns: 200 });
    t.line.onProgress(job('report-wait-started'));
    t.line.onProgress(job('report-wait-started', 0, 'job-2', 'arn:aws:iam::111122223333:role/other'));
    expect(t.writes.at(-1)).toBe(`${ERASE}waiting for the last-accessed report of ${ARN}: job started 0 s ago, 0 polls (and 1 more)`);
    t.line.onProgress(job('report-wait-ended'));
    expect(t.writes.at(-1)).toBe(
      `${ERASE}waiting for the last-accessed report of arn:aws:iam::111122223333:role/other: job started 0 s ago, 0 polls`,
    );
    expect(t.timersStarted()).toBe(1);
  });

  it('not a terminal: nothing is drawn, and a warning is just its line', () => {
    const t = fakeStderr({ terminal: false });
    t.line.onProgress(job('report-wait-started'));
    t.advance(3_000);
    t.line.onProgress(job('report-polled', 2));
    t.line.print('leastpriv: warning: something');
    t.line.onProgress(job('report-wait-ended'));
    t.line.finish();
    expect(t.writes).toEqual(['leastpriv: warning: something\n']);
    expect(t.timersStarted()).toBe(0);
  });
});
