#!/usr/bin/env node
/**
 * node dist/emulator/main.js --fixture FILE [--port N] [--page-size N] [--job-completion-ms N]
 * Prints the endpoint on stdout, serves until SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { loadFixtureFile } from './fixture.js';
import { startEmulator } from './server.js';

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        fixture: { type: 'string' },
        port: { type: 'string' },
        'page-size': { type: 'string' },
        'job-completion-ms': { type: 'string' },
      },
    }));
  } catch (e) {
    process.stderr.write(`emulator: ${(e as Error).message}\n`);
    return 2;
  }
  if (!values.fixture) {
    process.stderr.write('usage: emulator --fixture FILE [--port N] [--page-size N] [--job-completion-ms N]\n');
    return 2;
  }
  const num = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));
  const fixture = await loadFixtureFile(values.fixture);
  const jobCompletionMs = num(values['job-completion-ms']);
  const emulator = await startEmulator({
    fixture,
    port: num(values.port) ?? 0,
    pageSize: num(values['page-size']),
    faults: jobCompletionMs === undefined ? {} : { jobCompletionMs },
  });
  process.stdout.write(`${emulator.endpoint}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await emulator.stop();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`emulator: ${(e as Error).message}\n`);
    process.exit(1);
  },
);
