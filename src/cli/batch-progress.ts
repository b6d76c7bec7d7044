import type { BatchEvent, SubjectResult } from '../batch/types.js';
import { num, pluralChange } from '../text.js';
import type { CliIo } from './exit.js';
import { ERASE, fit, realEvery } from './progress.js';

/** What an account-wide run shows on stderr as it goes. */
export interface BatchProgress {
  readonly onEvent: (event: BatchEvent) => void;
  /** one line of its own (a warning, the interruption notice), written above the status line */
  readonly print: (line: string) => void;
  /** erases the status line and stops redrawing it */
  readonly finish: () => void;
}

export interface BatchProgressOptions {
  readonly io: CliIo;
  /** --quiet: no progress at all (warnings and errors still) */
  readonly quiet?: boolean;
  /** the clock and the redraw schedule, replaceable so a test steps them */
  readonly now?: () => number;
  readonly every?: (ms: number, tick: () => void) => { stop: () => void };
}

const REDRAW_MS = 1000;

/**
 * On a terminal ONE status line redrawn in place: "12/200 done, 1 failed, 3 in flight, 2 throttled retries, 42 s
 * elapsed, about 5 min left". Elsewhere (a log, a pipe) one line per finished subject; with --quiet nothing. An
 * account that fails is a line of its own either way.
 */
export function batchProgress(options: BatchProgressOptions): BatchProgress {
  const { io } = options;
  const terminal = options.quiet === true ? undefined : io.stderrTerminal;
  const now = options.now ?? Date.now;
  const every = options.every ?? realEvery;
  const started = now();
  const counts = { total: 0, done: 0, failed: 0, inFlight: 0, throttled: 0 };
  let drawn = false;
  let timer: { stop: () => void } | undefined;

  const erase = (): void => {
    if (drawn) io.stderr(ERASE);
    drawn = false;
  };
  const draw = (): void => {
    if (terminal === undefined) return;
    io.stderr(`${ERASE}${fit(statusText(counts, now() - started), terminal.columns())}`);
    drawn = true;
  };
  const print = (line: string): void => {
    const redraw = drawn;
    erase();
    io.stderr(`${line}\n`);
    if (redraw) draw();
  };

  return {
    onEvent: (event) => {
      switch (event.kind) {
        case 'planned':
          counts.total += event.subjects;
          break;
        case 'finished':
          counts.done++;
          if (event.result.status === 'failed') counts.failed++;
          if (terminal === undefined && options.quiet !== true) print(finishedLine(event.result));
          break;
        case 'in-flight':
          counts.inFlight = event.inFlight;
          break;
        case 'throttled-retry':
          counts.throttled++;
          break;
        case 'account-failed':
          if (options.quiet !== true) print(`account ${event.account} failed: ${event.error}`);
          break;
        case 'option-warning':
          print(`leastpriv: warning: ${event.message}`);
          break;
      }
      if (terminal === undefined) return;
      timer ??= every(REDRAW_MS, draw);
      draw();
    },
    print,
    finish: () => {
      timer?.stop();
      timer = undefined;
      erase();
    },
  };
}

function statusText(c: { total: number; done: number; failed: number; inFlight: number; throttled: number }, elapsedMs: number): string {
  const parts = [`${num(c.done)}/${num(c.total)} done`, `${num(c.failed)} failed`, `${num(c.inFlight)} in flight`];
  if (c.throttled > 0) parts.push(`${num(c.throttled)} throttled ${c.throttled === 1 ? 'retry' : 'retries'}`);
  parts.push(`${duration(elapsedMs)} elapsed`);
  // the rate so far, once there is one: subjects take minutes each while their report jobs run
  if (c.done > 0 && c.total > c.done) parts.push(`about ${duration((elapsedMs / c.done) * (c.total - c.done))} left`);
  return parts.join(', ');
}

/** `42 s`, `5 min 10 s`, `1 h 02 min` */
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/** the line a finished subject gets off a terminal */
export function finishedLine(r: SubjectResult): string {
  const what = r.folder;
  switch (r.status) {
    case 'recommended':
      return `${what}: ${r.outcome} (${num(r.actionsBefore)} → ${num(r.actionsAfter)} ${pluralChange(r.actionsBefore, r.actionsAfter, 'action')})`;
    case 'failed':
      return `${what}: failed: ${r.error}`;
    case 'skipped':
      return `${what}: skipped (${r.reason})`;
    case 'collected':
      return `${what}: collected`;
    case 'interrupted':
      return `${what}: interrupted`;
  }
}
