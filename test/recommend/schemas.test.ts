import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OWNED_SCHEMAS, schemaText } from '../../scripts/examples.js';

describe('schemas/*.json are the copies of the TypeScript schemas', () => {
  it.each(OWNED_SCHEMAS.map(([path, schema]) => [path, schema] as const))('%s', (path, schema) => {
    expect(readFileSync(join(import.meta.dirname, '../..', path), 'utf8')).toBe(schemaText(schema));
  });
});
