import { readFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ajvModule from 'ajv';
import type { EmulatorFixture } from './fixture-types.js';

const Ajv = ajvModule.default;

/** A fixture that fails its schema or its cross-references; the message names the first problem and where. */
export class FixtureError extends Error {
  override readonly name = 'FixtureError';
}

function findSchemaPath(): string {
  // emulator/fixture.ts runs from the source tree (vitest) and from dist/emulator/ (node): walk up to the repo root.
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'schemas', 'emulator-fixture.schema.json');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new FixtureError('schemas/emulator-fixture.schema.json not found above ' + fileURLToPath(import.meta.url));
}

let validator: ReturnType<InstanceType<typeof Ajv>['compile']> | undefined;

function schemaValidator(): NonNullable<typeof validator> {
  if (!validator) {
    const schema = JSON.parse(readFileSync(findSchemaPath(), 'utf8')) as object;
    validator = new Ajv({ allErrors: false, strict: false }).compile(schema);
  }
  return validator;
}

/** Checks a parsed JSON value against the fixture schema; returns it typed, or throws one clear FixtureError. */
export function validateFixture(value: unknown, origin = 'fixture'): EmulatorFixture {
  const validate = schemaValidator();
  if (!validate(value)) {
    const err = validate.errors?.[0];
    const where = err?.instancePath ? err.instancePath : '(root)';
    const extra = err?.params && 'additionalProperty' in err.params ? ` '${String(err.params.additionalProperty)}'` : '';
    throw new FixtureError(`${origin}: ${where} ${err?.message ?? 'is invalid'}${extra}`);
  }
  return value as EmulatorFixture;
}

export async function loadFixtureFile(path: string): Promise<EmulatorFixture> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new FixtureError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new FixtureError(`${path}: not JSON (${(e as Error).message})`);
  }
  return validateFixture(parsed, path);
}
