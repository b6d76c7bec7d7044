import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The emulator is an independent model of AWS used to test the product: it may read the catalog and the snapshot's
 * API shapes, never the product's logic; and AGPL oracles stay out of everything but test/ and bench/.
 */
const dir = fileURLToPath(new URL('../../emulator/', import.meta.url));
const sources = readdirSync(dir).filter((f) => f.endsWith('.ts'));

function imports(file: string): string[] {
  const text = readFileSync(dir + file, 'utf8');
  return [...text.matchAll(/from\s+'([^']+)'/g)].map((m) => m[1] ?? '');
}

describe('emulator imports', () => {
  it('has sources to check', () => {
    expect(sources).toContain('server.ts');
  });

  it.each(sources)('%s imports only node:, ajv, its own files, src/catalog and src/snapshot/types', (file) => {
    for (const spec of imports(file)) {
      const allowed =
        spec.startsWith('node:') ||
        spec === 'ajv' ||
        /^\.\/[\w-]+\.js$/.test(spec) ||
        /^\.\.\/src\/catalog\/(catalog|load)\.js$/.test(spec) ||
        spec === '../src/snapshot/types.js';
      expect(allowed, `${file} imports ${spec}`).toBe(true);
    }
  });
});
