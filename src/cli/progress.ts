import type { CollectProgressEvent } from '../collect/call.js';
import type { CliIo } from './exit.js';

/** The status line's view of the collector's long waits, drawn on stderr when it is a terminal. */
export interface ProgressLine {
  onProgress: (event: CollectProgressEvent) => void;
  /** one line of its own (a warning), written above the status line */
  print: (line: string) => void;
  /** erases the status line and stops redrawing it: once the work is over, failed or not */
  finish: () => void;
}

export interface ProgressLineOptions {
  io: CliIo;
  /** the clock and the redraw schedule, replaceable so a test steps them */
  now?: () => number;
  every?: (ms: number, tick: () => void) => { stop: () => void };
}

interface Wait {
  arn: string;
  startedAt: number;
  polls: number;
}

/** return to the start of the line and clear it */
export const ERASE = '\r\x1b[2K';
const REDRAW_MS = 1000;

/** the real redraw schedule: setInterval, never keeping the process alive */
export const realEvery = (ms: number, tick: () => void): { stop: () => void } => {
  const timer = setInterval(tick, ms);
  // a redraw never keeps the process alive
  timer.unref();
  return { stop: () => clearInterval(timer) };
};

/**
 * ONE status line, redrawn in place every second while a report job runs: "waiting for the last-accessed report of
 * ARN: job started 12 s ago, 5 polls". Without a terminal (io.stderrTerminal unset) nothing is drawn and lines are
 * written as they come, so logs and pipes get only the lines that matter.
 */
export function progressLine(options: ProgressLineOptions): ProgressLine {
  const { io } = options;
  const terminal = io.stderrTerminal;
  const now = options.now ?? Date.now;
  const every = options.every ?? realEvery;
  const waits = new Map<string, Wait>();
  let drawn = false;
  let timer: { stop: () => void } | undefined;

  const erase = (): void => {
    if (drawn) io.stderr(ERASE);
    drawn = false;
  };
  const draw = (): void => {
    const [first, ...others] = waits.values();
    if (terminal === undefined || first === undefined) return erase();
    const seconds = Math.max(0, Math.floor((now() - first.startedAt) / 1000));
    const more = others.length > 0 ? ` (and ${others.length} more)` : '';
    // an Organizations report is about an entity path, not an ARN
    const kind = first.arn.startsWith('arn:') ? 'last-accessed report' : 'Organizations access report';
    const text = `waiting for the ${kind} of ${first.arn}: job started ${seconds} s ago, ${first.polls} ${first.polls === 1 ? 'poll' : 'polls'}${more}`;
    io.stderr(`${ERASE}${fit(text, terminal.columns())}`);
    drawn = true;
  };
  const stopTimer = (): void => {
    timer?.stop();
    timer = undefined;
  };

  return {
    onProgress: (event) => {
      // said once, terminal or not: the run is waiting on someone else's report, not on its own
      if (event.kind === 'report-generation-waiting') {
        if (event.waits === 1) {
          const redraw = drawn;
          erase();
          io.stderr(`waiting: another Organizations report is being generated; ${event.arn} starts when it ends (bounded by --timeout)\n`);
          if (redraw) draw();
        }
        return;
      }
      if (terminal === undefined) return;
      if (event.kind === 'report-wait-started') waits.set(event.jobId, { arn: event.arn, startedAt: now(), polls: 0 });
      if (event.kind === 'report-polled') {
        const wait = waits.get(event.jobId);
        if (wait !== undefined) wait.polls = event.polls;
      }
      if (event.kind === 'report-wait-ended') waits.delete(event.jobId);
      if (waits.size === 0) stopTimer();
      else timer ??= every(REDRAW_MS, draw);
      draw();
    },
    print: (line) => {
      const redraw = drawn;
      erase();
      io.stderr(`${line}\n`);
      if (redraw) draw();
    },
    finish: () => {
      stopTimer();
      waits.clear();
      erase();
    },
  };
}

/**
 * A line wider than the terminal wraps, and a wrapped line cannot be erased with one carriage return. A terminal that
 * reports 0 columns (a serial console, some CI pseudo-terminals) does not know its width: taken as 80, like none.
 */
export function fit(text: string, columns: number | undefined): string {
  const known = columns !== undefined && columns > 0 ? columns : 80;
  const width = Math.max(20, known - 1);
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}
