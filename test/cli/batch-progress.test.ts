/** The account-wide progress: one status line redrawn in place on a terminal, a line per subject elsewhere, none with --quiet. */
import { describe, expect, it } from 'vitest';
import { batchProgress, duration } from '../../src/cli/batch-progress.js';
import type { SubjectResult } from '../../src/batch/types.js';
import { key } from '../batch/fake-collector.js';

const recommended = (name: string): SubjectResult => ({
  status: 'recommended', key: key('role', name), folder: `role/${name}`, outcome: 'reductions-recommended', actionsBefore: 4, actionsAfter: 1, servicesRemoved: [], highRiskRemoved: [],
});
const failed: SubjectResult = { status: 'failed', key: key('role', 'x'), folder: 'role/x', error: 'AccessDenied' };

function harness(terminal: boolean, quiet = false) {
  let stderr = '';
  let clock = 0;
  const ticks: (() => void)[] = [];
  const progress = batchProgress({
    io: { stdout: () => {}, stderr: (t) => (stderr += t), ...(terminal ? { stderrTerminal: { columns: () => 200 } } : {}) },
    quiet,
    now: () => clock,
    every: (_, tick) => (ticks.push(tick), { stop: () => ticks.splice(0) }),
  });
  return { progress, stderr: () => stderr, advance: (ms: number) => ((clock += ms), ticks.forEach((t) => t())) };
}

describe('batch progress', () => {
  it('on a terminal: one line redrawn, with done/total, failed, in flight, throttled retries, elapsed and ETA', () => {
    const h = harness(true);
    h.progress.onEvent({ kind: 'planned', subjects: 4 });
    h.progress.onEvent({ kind: 'in-flight', inFlight: 2 });
    h.progress.onEvent({ kind: 'throttled-retry' });
    h.advance(10_000);
    h.progress.onEvent({ kind: 'finished', result: recommended('a') });
    h.progress.onEvent({ kind: 'finished', result: failed });
    h.advance(10_000);
    const last = h.stderr().split('\r\x1b[2K').pop();
    expect(last).toBe('2/4 done, 1 failed, 2 in flight, 1 throttled retry, 20 s elapsed, about 20 s left');
    expect(h.stderr()).not.toContain('\n');
    h.progress.print('leastpriv: warning: something');
    expect(h.stderr()).toMatch(/\r\x1b\[2Kleastpriv: warning: something\n\r\x1b\[2K2\/4 done/);
    h.progress.finish();
    expect(h.stderr().endsWith('\r\x1b[2K')).toBe(true);
  });

  it('off a terminal: one line per finished subject, and an account failure', () => {
    const h = harness(false);
    h.progress.onEvent({ kind: 'planned', subjects: 2 });
    h.progress.onEvent({ kind: 'finished', result: recommended('a') });
    h.progress.onEvent({ kind: 'finished', result: failed });
    h.progress.onEvent({ kind: 'account-failed', account: '444455556666', error: 'AssumeRole: AccessDenied' });
    expect(h.stderr()).toBe('role/a: reductions-recommended (4 → 1 actions)\nrole/x: failed: AccessDenied\naccount 444455556666 failed: AssumeRole: AccessDenied\n');
  });

  it('--quiet: nothing but warnings', () => {
    const h = harness(true, true);
    h.progress.onEvent({ kind: 'planned', subjects: 1 });
    h.progress.onEvent({ kind: 'finished', result: failed });
    h.progress.onEvent({ kind: 'option-warning', message: 'the threshold is beyond the tracking period' });
    h.progress.finish();
    expect(h.stderr()).toBe('leastpriv: warning: the threshold is beyond the tracking period\n');
  });

  it.each([[42_000, '42 s'], [310_000, '5 min 10 s'], [3_720_000, '1 h 02 min']])('duration(%d) = %s', (ms, text) => expect(duration(ms)).toBe(text));
});
