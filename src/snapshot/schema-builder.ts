/**
 * A small JSON Schema (draft-07) builder whose every piece also carries the TypeScript type it validates, so a
 * schema and its type are one declaration and cannot drift: `type T = Infer<typeof schema>`. Only the shapes the
 * snapshot needs: strings, integers, booleans, literals, enums, arrays, string-keyed records, closed objects, unions tagged by a
 * discriminator property, and named definitions (emitted as `$ref` into `definitions`).
 */

/** A JSON Schema fragment; `T` exists only at compile time. */
export interface Schema<T> {
  readonly json: Readonly<Record<string, unknown>>;
  /** named definitions used below this fragment, by name */
  readonly defs: ReadonlyMap<string, Readonly<Record<string, unknown>>>;
  /** never set: carries T */
  readonly __type?: T;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

type Fields = Record<string, Schema<unknown>>;
type Simplify<T> = { [K in keyof T]: T[K] } & {};
type ObjectOf<R extends Fields, O extends Fields> = Simplify<{ -readonly [K in keyof R]: Infer<R[K]> } & { -readonly [K in keyof O]?: Infer<O[K]> }>;

const leaf = <T>(json: Record<string, unknown>): Schema<T> => ({ json, defs: new Map() });

function mergeDefs(parts: readonly Schema<unknown>[]): Map<string, Readonly<Record<string, unknown>>> {
  const defs = new Map<string, Readonly<Record<string, unknown>>>();
  for (const part of parts) for (const [name, json] of part.defs) defs.set(name, json);
  return defs;
}

const described = (json: Record<string, unknown>, description: string | undefined): Record<string, unknown> =>
  description === undefined ? json : { description, ...json };

export const string = (options: { pattern?: string; minLength?: number; description?: string } = {}): Schema<string> =>
  leaf(
    described(
      {
        type: 'string',
        ...(options.minLength !== undefined ? { minLength: options.minLength } : {}),
        ...(options.pattern !== undefined ? { pattern: options.pattern } : {}),
      },
      options.description,
    ),
  );

export const integer = (options: { minimum?: number; description?: string } = {}): Schema<number> =>
  leaf(described({ type: 'integer', ...(options.minimum !== undefined ? { minimum: options.minimum } : {}) }, options.description));

export const boolean = (description?: string): Schema<boolean> => leaf(described({ type: 'boolean' }, description));

export const literal = <const V extends string | number>(value: V): Schema<V> => leaf({ const: value });

export const oneOfValues = <const V extends readonly string[]>(values: V): Schema<V[number]> => leaf({ enum: values });

/** a JSON value of one of the given JSON types, typed by the caller (the policy document: object or string) */
export const jsonTypes = <T>(types: readonly string[], description?: string): Schema<T> =>
  leaf(described({ type: types.length === 1 ? types[0] : [...types] }, description));

export const array = <T>(items: Schema<T>, description?: string): Schema<T[]> => ({
  json: described({ type: 'array', items: items.json }, description),
  defs: items.defs,
});

export const record = <T>(values: Schema<T>, description?: string): Schema<Record<string, T>> => ({
  json: described({ type: 'object', additionalProperties: values.json }, description),
  defs: values.defs,
});

/** a closed object: `required` fields must be there, `optional` ones may, nothing else */
export function object<R extends Fields, O extends Fields = Record<never, never>>(
  required: R,
  optional?: O,
  description?: string,
): Schema<ObjectOf<R, O>> {
  const all = { ...required, ...(optional ?? {}) };
  const properties = Object.fromEntries(Object.entries(all).map(([k, s]) => [k, s.json]));
  const names = Object.keys(required);
  return {
    json: described(
      { type: 'object', ...(names.length > 0 ? { required: names } : {}), additionalProperties: false, properties },
      description,
    ),
    defs: mergeDefs(Object.values(all)),
  };
}

/**
 * One of several closed objects, told apart by `tag` (each member has `tag: literal(…)`): ajv's `discriminator`
 * then reports errors of the member the tag names, not of every member.
 */
export function taggedUnion<K extends string, M extends readonly Schema<Record<K, string>>[]>(
  tag: K,
  members: M,
  description?: string,
): Schema<Infer<M[number]>> {
  const oneOf = members.map((m) => {
    const { type: _type, ...rest } = m.json as Record<string, unknown>;
    return rest;
  });
  return {
    json: described({ type: 'object', required: [tag], discriminator: { propertyName: tag }, oneOf }, description),
    defs: mergeDefs(members),
  };
}

/** a named definition: emitted once under `definitions`, referred to by `$ref` (error hints key on the name) */
export function named<T>(name: string, schema: Schema<T>): Schema<T> {
  const defs = new Map(schema.defs);
  defs.set(name, schema.json);
  return { json: { $ref: `#/definitions/${name}` }, defs };
}

/** The root document: `schema` with its header and every named definition it uses, in order of first use. */
export function documentSchema<T>(header: Record<string, unknown>, schema: Schema<T>): Record<string, unknown> {
  return { ...header, ...schema.json, definitions: Object.fromEntries(schema.defs) };
}
