/**
 * `npm run bench`: every benchmark in one run, printed as a Markdown table (the README's figures come from here).
 * Each part runs one after another so they do not compete for the machine's two cores. Speed targets live here,
 * not in unit tests: a figure outside its target is reported, not failed.
 */
import { cpus, totalmem } from 'node:os';
import { run as account } from './account.js';
import { run as batchOffline } from './batch-offline.js';
import { run as collect } from './collect.js';
import { run as collectOrgs } from './collect-orgs.js';
import { run as emulator } from './emulator.js';
import { run as engine } from './engine.js';
import { run as recommend } from './recommend.js';
import { run as throttle } from './throttle.js';

// the pinned SDK warns under Node 20 that later releases need Node 22 (read when a client is created, so setting it
// after the imports is in time): noise in a figures table
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

const parts = [
  ['policy engine', engine],
  ['recommend (offline pipeline)', recommend],
  ['account-wide replay (recommend --snapshot-dir)', batchOffline],
  ['emulator', emulator],
  ['collector (against the emulator)', collect],
  ['collector, Organizations (against the emulator)', collectOrgs],
  ['throttling: retry modes (against the emulator)', throttle],
  ['account-wide collection (against the emulator)', account],
] as const;

console.log(`leastpriv benchmarks: node ${process.version}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB`);
console.log('');
console.log('| benchmark | figure |');
console.log('|---|---|');
for (const [label, run] of parts) {
  const started = performance.now();
  for (const line of await run()) console.log(`| ${line.name} | ${line.value} |`);
  process.stderr.write(`bench: ${label} took ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}
