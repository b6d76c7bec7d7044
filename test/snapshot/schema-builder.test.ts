/**
 * The schema builder: one declaration gives the JSON Schema and the TypeScript type. The type side is checked by the
 * typecheck (the assignments below fail to compile if inference drifts); the JSON side by ajv on sample values.
 */
import { Ajv } from 'ajv';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { array, documentSchema, integer, literal, named, object, oneOfValues, string, taggedUnion, type Infer } from '../../src/snapshot/schema-builder.js';
import type { Snapshot } from '../../src/snapshot/types.js';

const name = named('name', string({ pattern: '^[a-z]+$' }));
const shape = taggedUnion('Kind', [
  object({ Kind: literal('a'), name }, { count: integer({ minimum: 0 }) }),
  object({ Kind: literal('b'), tags: array(oneOfValues(['x', 'y'] as const)) }),
]);
const schema = documentSchema({ $schema: 'http://json-schema.org/draft-07/schema#' }, object({ items: array(shape) }));
const validate = new Ajv({ strict: true, discriminator: true, strictRequired: false }).compile(schema);

describe('schema builder', () => {
  it('infers the type: required and optional fields, literals, enums, tagged unions', () => {
    type Shape = Infer<typeof shape>;
    type Expected = { Kind: 'a'; name: string; count?: number } | { Kind: 'b'; tags: ('x' | 'y')[] };
    expectTypeOf<Shape>().toMatchTypeOf<Expected>();
    expectTypeOf<Expected>().toMatchTypeOf<Shape>();
    expectTypeOf<Snapshot['subject']['Kind']>().toEqualTypeOf<'principal' | 'managed-policy' | 'scp' | 'organization-entity'>();
    expectTypeOf<Snapshot['report']['Kind']>().toEqualTypeOf<'service-last-accessed' | 'organizations-access'>();
  });

  it('emits named definitions once, referred to by $ref', () => {
    expect(schema['definitions']).toEqual({ name: { type: 'string', pattern: '^[a-z]+$' } });
    expect(JSON.stringify(schema)).toContain('"$ref":"#/definitions/name"');
  });

  it.each([
    [{ items: [{ Kind: 'a', name: 'ok' }, { Kind: 'b', tags: ['x'] }] }, true],
    [{ items: [{ Kind: 'a', name: 'ok', count: 2 }] }, true],
    [{ items: [{ Kind: 'a', name: 'NOT' }] }, false],
    [{ items: [{ Kind: 'a', name: 'ok', extra: 1 }] }, false],
    [{ items: [{ Kind: 'a' }] }, false],
    [{ items: [{ Kind: 'c' }] }, false],
    [{ items: [{ Kind: 'b', tags: ['z'] }] }, false],
    [{ items: [], other: 1 }, false],
  ])('validates %j: %s', (value, ok) => {
    expect(validate(value)).toBe(ok);
  });
});
