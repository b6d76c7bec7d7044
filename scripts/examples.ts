/**
 * `npm run examples`: regenerates every policies-examples/<case>/output/ from its snapshot.json (and config.json when
 * present), and the schemas/*.json copies of recommend's schemas. test/recommend/examples.test.ts regenerates them in memory and compares bytes, so they cannot drift.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Catalog } from '../src/catalog/catalog.js';
import { loadCatalog } from '../src/catalog/load.js';
import { writeDirectoryAtomically } from '../src/output/write.js';
import { recommendWith } from '../src/recommend.js';
import { renderFiles } from '../src/render/files.js';
import { CONFIG_SCHEMA } from '../src/analyze/config-schema.js';
import { RECOMMENDATION_SCHEMA } from '../src/render/recommendation-schema.js';
import { SUMMARY_SCHEMA } from '../src/render/summary-schema.js';
import { subjectName } from '../src/render/recommendation.js';
import { SNAPSHOT_SCHEMA, SNAPSHOT_V1_SCHEMA } from '../src/snapshot/schema.js';

/** schemas/*.json copies of the schemas recommend owns (the TypeScript modules are the source of truth). */
export const OWNED_SCHEMAS: ReadonlyArray<readonly [string, object]> = [
  ['schemas/snapshot.schema.json', SNAPSHOT_SCHEMA],
  ['schemas/snapshot-v1.schema.json', SNAPSHOT_V1_SCHEMA],
  ['schemas/config.schema.json', CONFIG_SCHEMA],
  ['schemas/recommendation.schema.json', RECOMMENDATION_SCHEMA],
  ['schemas/summary.schema.json', SUMMARY_SCHEMA],
];

export const schemaText = (schema: object): string => `${JSON.stringify(schema, null, 2)}\n`;

/** The collector helper owns demo-account/ (a live-emulator demo, not an offline case). */
const NOT_OFFLINE_CASES = new Set(['demo-account']);

/** Case folders: those holding a snapshot.json. */
export function exampleCases(examplesDir: string): string[] {
  return readdirSync(examplesDir)
    .filter((name) => !NOT_OFFLINE_CASES.has(name))
    .filter((name) => statSync(join(examplesDir, name)).isDirectory() && existsSync(join(examplesDir, name, 'snapshot.json')))
    .sort();
}

/**
 * The files of one case, relative to the case folder (`output/<principal>/…`). The tool version is pinned to the
 * one recorded in the snapshot so a version bump does not rewrite every example.
 */
export async function exampleFiles(caseDir: string, catalog: Catalog): Promise<{ principal: string; files: Map<string, string> }> {
  const snapshot = JSON.parse(await readFile(join(caseDir, 'snapshot.json'), 'utf8')) as { collection?: { ToolVersion?: string } };
  const configPath = join(caseDir, 'config.json');
  const config = existsSync(configPath) ? (JSON.parse(await readFile(configPath, 'utf8')) as unknown) : undefined;
  const rec = recommendWith({
    snapshot,
    catalog,
    toolVersion: snapshot.collection?.ToolVersion ?? 'unknown',
    snapshotLabel: join(caseDir, 'snapshot.json'),
    ...(config === undefined ? {} : { config, configLabel: configPath }),
  });
  return { principal: subjectName(rec), files: renderFiles(rec) };
}

export async function regenerateExamples(examplesDir: string): Promise<string[]> {
  const catalog = await loadCatalog();
  const written: string[] = [];
  for (const name of exampleCases(examplesDir)) {
    const caseDir = join(examplesDir, name);
    const { principal, files } = await exampleFiles(caseDir, catalog);
    await writeDirectoryAtomically(join(caseDir, 'output', principal), files);
    written.push(join(caseDir, 'output', principal));
  }
  return written;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const [path, schema] of OWNED_SCHEMAS) {
    await writeFile(join(process.cwd(), path), schemaText(schema), 'utf8');
    process.stdout.write(`wrote ${path}\n`);
  }
  const dirs = await regenerateExamples(join(process.cwd(), 'policies-examples'));
  for (const d of dirs) process.stdout.write(`wrote ${d}/\n`);
}
