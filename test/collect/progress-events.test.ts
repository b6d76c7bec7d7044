import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../emulator/index.js';
import type { CollectProgressEvent } from '../../src/collect/call.js';
import { main } from '../../src/cli/main.js';
import { collectFrom, demoArn, failureOf, startDemo } from './emulator-harness.js';

/**
 * The report wait as the collector reports it (onProgress), and as the CLI shows it: on a terminal one status line,
 * erased at the end; elsewhere nothing. The emulator's jobs stay IN_PROGRESS long enough to be polled a few times.
 */
const LAMBDA_ARN = demoArn('role', 'service-role/orders-lambda');
const WIDE_ARN = demoArn('role', 'wide');
const ERASE = '\r\x1b[2K';

let emulator: RunningEmulator;
const saved = { ...process.env };

beforeAll(async () => {
  emulator = await startDemo({ faults: { jobCompletionMs: 400, failJobs: [WIDE_ARN] } });
  delete process.env['AWS_PROFILE'];
  process.env['AWS_ACCESS_KEY_ID'] = 'AKIDDEMO';
  process.env['AWS_SECRET_ACCESS_KEY'] = 'not-checked';
});
afterAll(async () => {
  process.env = saved;
  await emulator.stop();
});

/** the events of one collection, in order, with the polls checked to count up from 1 */
function expectOneWait(events: CollectProgressEvent[], arn: string): void {
  const [first, ...rest] = events;
  const last = rest.pop();
  expect(first).toEqual({ kind: 'report-wait-started', arn, jobId: expect.any(String) });
  const jobId = first !== undefined && 'jobId' in first ? first.jobId : undefined;
  expect(last).toEqual({ kind: 'report-wait-ended', arn, jobId });
  expect(rest.length).toBeGreaterThan(0);
  expect(rest).toEqual(rest.map((_, i) => ({ kind: 'report-polled', arn, jobId, polls: i + 1 })));
}

describe('progress of the report wait', () => {
  it('onProgress: started, each IN_PROGRESS poll counted, ended', async () => {
    const events: CollectProgressEvent[] = [];
    await collectFrom(emulator, { type: 'role', arn: LAMBDA_ARN }, { onProgress: (e) => events.push(e) });
    expectOneWait(events, LAMBDA_ARN);
  });

  it('a job that FAILS still ends its wait', async () => {
    const events: CollectProgressEvent[] = [];
    const error = await failureOf(collectFrom(emulator, { type: 'role', arn: WIDE_ARN }, { onProgress: (e) => events.push(e) }));
    expect(error.message).toMatch(/FAILED/);
    expectOneWait(events, WIDE_ARN);
  });

  async function cli(terminal: boolean, ...argv: string[]) {
    let stdout = '';
    let stderr = '';
    const code = await main(argv, {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      ...(terminal ? { stderrTerminal: { columns: () => 200 } } : {}),
    });
    return { code, stdout, stderr };
  }
  const collect = (arn: string) => ['collect', '--role-arn', arn, '--endpoint-url', emulator.endpoint, '--region', 'us-east-1'];

  it('the CLI on a terminal draws the status line in place and erases it before the result', async () => {
    const result = await cli(true, ...collect(LAMBDA_ARN));
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ subject: { principal: { Arn: LAMBDA_ARN } } });
    const drawn = result.stderr.split(ERASE).filter((s) => s !== '');
    expect(drawn[0]).toBe(`waiting for the last-accessed report of ${LAMBDA_ARN}: job started 0 s ago, 0 polls`);
    expect(drawn.some((s) => /: job started \d+ s ago, 1 poll$/.test(s))).toBe(true);
    expect(drawn.every((s) => s.startsWith(`waiting for the last-accessed report of ${LAMBDA_ARN}: `))).toBe(true);
    expect(result.stderr.endsWith(ERASE)).toBe(true);
  });

  it('the CLI on a terminal erases the line before the error line', async () => {
    const result = await cli(true, ...collect(WIDE_ARN));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`\\x1b\\[2Kleastpriv: error: the last-accessed report job \\S+ for ${WIDE_ARN} FAILED: [^\\n]*\\n$`));
  });

  it('the CLI without a terminal writes nothing while it waits', async () => {
    const result = await cli(false, ...collect(LAMBDA_ARN));
    expect(result).toMatchObject({ code: 0, stderr: '' });
  });
});
