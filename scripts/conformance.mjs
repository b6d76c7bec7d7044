// `npm run test:conformance`: the emulator checked against moto_server (test/emulator/conformance.test.ts). moto is
// Python, which `npm test` must not need, so it runs only here, and fails loudly when moto_server cannot be started:
// a missing oracle is a failed check, never a silent skip.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The moto release the emulator was last checked against (`pip show moto`); other versions may word replies differently. */
const CHECKED_AGAINST = 'moto 5.2.1';
const root = fileURLToPath(new URL('..', import.meta.url));

const probe = spawnSync('moto_server', ['--help'], { encoding: 'utf8' });
if (probe.error || probe.status !== 0) {
  const notFound = probe.error?.code === 'ENOENT';
  const why = notFound ? 'not found on PATH' : (probe.error?.message ?? (probe.stderr.trim().split('\n')[0] || `exit ${probe.status}`));
  process.stderr.write(`test:conformance: moto_server cannot run (${why}): pip install 'moto[server]' (checked against ${CHECKED_AGAINST})\n`);
  process.exit(1);
}

process.stdout.write(`test:conformance: emulator vs moto_server (checked against ${CHECKED_AGAINST})\n`);
const vitest = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--config', 'vitest.conformance.config.ts'], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(vitest.status ?? 1);
