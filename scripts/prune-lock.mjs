// The npm registry this project's machines reach does not serve rollup's prebuilt binaries for other platforms, so
// `npm install` records them in rollup's optionalDependencies but cannot lock them, and `npm ci` then refuses the
// lock as out of sync. This drops optional dependencies that have no entry in the lock. Run after any `npm install`
// that changes package-lock.json: `node scripts/prune-lock.mjs`.
import { readFileSync, writeFileSync } from 'node:fs';

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
let dropped = 0;
for (const [where, entry] of Object.entries(lock.packages ?? {})) {
  for (const dep of Object.keys(entry.optionalDependencies ?? {})) {
    if (!lock.packages[`node_modules/${dep}`] && !lock.packages[`${where}/node_modules/${dep}`]) {
      delete entry.optionalDependencies[dep];
      dropped++;
    }
  }
}
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`prune-lock: dropped ${dropped} unlockable optional dependencies`);
