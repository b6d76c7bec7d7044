/**
 * Policy-engine benchmark. `export run()` for bench/run.ts; also runnable alone (`node dist/bench/engine.js`).
 *
 * Workloads, all generated from the catalog so nothing is copied from AWS-managed (GPL-collected) documents:
 * - a 50-statement wildcard-heavy policy (Get, List, Describe, Tag and Create wildcards per service, a few `*:X`);
 * - a NotAction over the whole catalog (Allow everything except iam/organizations/account);
 * - a ReadOnlyAccess-sized document (~80k characters): explicit List/Read actions for some services and
 *   `svc:Describe*`, `svc:Get*` and `svc:List*` patterns for the rest.
 * Warm figures are medians over repeated runs in one process (catalog loaded, per-catalog index built). "fresh
 * patterns" re-cases every pattern per run so the pattern memo never hits. Cold start and peak RSS come from a child
 * process that loads the catalog and runs every workload once.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Catalog } from '../src/catalog/catalog.js';
import { loadCatalog } from '../src/catalog/load.js';
import {
  compactPolicy,
  expandStatement,
  parsePolicy,
  policySize,
  rewritePolicy,
  splitManagedPolicy,
  type NormalizedPolicy,
  type PolicyDocument,
  type StatementKeep,
} from '../src/policy/index.js';

export interface BenchLine {
  name: string;
  value: string;
}

const RUNS = 25;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

function timeMs(fn: () => unknown, runs = RUNS): number {
  for (let i = 0; i < 5; i++) fn(); // warm-up: let the JIT settle so the medians are steady-state figures
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    samples.push(performance.now() - t);
  }
  return median(samples);
}

const ms = (x: number) => `${x < 10 ? x.toFixed(2) : x.toFixed(1)} ms`;

function parsed(doc: unknown): NormalizedPolicy {
  const r = parsePolicy(doc);
  if (!r.ok) throw new Error(`bench: generated policy invalid: ${JSON.stringify(r.problems)}`);
  return r.policy;
}

/** 50 statements over 50 services spread through the catalog, wildcard-heavy. */
export function wildcardPolicy(catalog: Catalog): PolicyDocument {
  const services = catalog.services;
  const step = Math.max(1, Math.floor(services.length / 50));
  const Statement = Array.from({ length: 50 }, (_, i) => {
    const svc = services[(i * step) % services.length] as string;
    const Action = [`${svc}:Get*`, `${svc}:List*`, `${svc}:Describe*`, `${svc}:*Tag*`, `${svc}:Create?*`];
    if (i % 10 === 0) Action.push('*:GetObject', `${svc}:Batch*`);
    return { Sid: `S${i}`, Effect: i % 7 === 6 ? ('Deny' as const) : ('Allow' as const), Action, Resource: '*' };
  });
  return { Version: '2012-10-17', Statement };
}

/** ~80k characters, in the spirit of ReadOnlyAccess: read/list access to every service. */
export function readOnlyLikePolicy(catalog: Catalog, targetChars = 80_000): PolicyDocument {
  const Action: string[] = [];
  const doc: PolicyDocument = { Version: '2012-10-17', Statement: [{ Sid: 'ReadOnly', Effect: 'Allow', Action, Resource: '*' }] };
  let size = policySize(doc);
  for (const [i, svc] of catalog.services.entries()) {
    const reads = (catalog.actionsOf(svc) ?? []).filter((a) => a.accessLevel === 'List' || a.accessLevel === 'Read');
    const entries = i % 3 === 0 ? reads.map((a) => a.id) : [`${svc}:Describe*`, `${svc}:Get*`, `${svc}:List*`];
    for (const e of entries) {
      if (size + e.length + 3 > targetChars) return doc;
      Action.push(e);
      size += e.length + 3;
    }
  }
  return doc;
}

/** keep every other catalog action of each Allow statement */
function halfKeep(catalog: Catalog, policy: NormalizedPolicy): Map<number, StatementKeep> {
  const keep = new Map<number, StatementKeep>();
  for (const s of policy.statements) {
    if (s.Effect !== 'Allow') continue;
    const e = expandStatement(catalog, s);
    keep.set(s.index, { actions: new Set(e.actions.filter((_, i) => i % 2 === 0)), unknown: new Set(e.unknown) });
  }
  return keep;
}

const recase = (p: string, run: number) =>
  [...p].map((ch, i) => ((i + run) % 3 === 0 ? ch.toUpperCase() : ch.toLowerCase())).join('');

interface Workloads {
  expand50: () => unknown;
  expand50Fresh: (run: number) => unknown;
  notAction: () => unknown;
  rewrite50: () => unknown;
  largeParse: () => unknown;
  largeExpand: () => unknown;
  largeRewrite: () => unknown;
  largeCompact: () => unknown;
  largeSplit: () => unknown;
}

function workloads(catalog: Catalog): { w: Workloads; largeChars: number; largeActions: number } {
  const wild = parsed(wildcardPolicy(catalog));
  const notAction = parsed({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' }],
  });
  const largeDoc = readOnlyLikePolicy(catalog);
  const large = parsed(largeDoc);
  const wildKeep = halfKeep(catalog, wild);
  const largeKeep = halfKeep(catalog, large);
  const largeRewritten = rewritePolicy(catalog, large, largeKeep).document;
  const largeText = JSON.stringify(largeDoc, null, 2);
  const w: Workloads = {
    expand50: () => wild.statements.map((s) => expandStatement(catalog, s)),
    expand50Fresh: (run) =>
      wild.statements.map((s) => expandStatement(catalog, { ...s, actions: s.actions.map((p) => recase(p, run)) })),
    notAction: () => expandStatement(catalog, notAction.statements[0]!),
    rewrite50: () => rewritePolicy(catalog, wild, wildKeep),
    largeParse: () => parsePolicy(largeText),
    largeExpand: () => large.statements.map((s) => expandStatement(catalog, s)),
    largeRewrite: () => rewritePolicy(catalog, large, largeKeep),
    largeCompact: () => compactPolicy(catalog, largeRewritten),
    largeSplit: () => splitManagedPolicy(largeRewritten),
  };
  return {
    w,
    largeChars: policySize(largeDoc),
    largeActions: expandStatement(catalog, large.statements[0]!).actions.length,
  };
}

/** Child-process mode: first call including catalog load, then every workload once; prints JSON. */
async function coldChild(): Promise<void> {
  const t0 = performance.now();
  const catalog = await loadCatalog();
  const loaded = performance.now();
  const { w } = workloads(catalog);
  w.expand50();
  const firstExpand = performance.now();
  for (const f of Object.values(w)) (f as (run: number) => unknown)(0);
  const rssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ load: loaded - t0, firstExpand: firstExpand - t0, rssMb }));
}

function cold(): { load: number; firstExpand: number; rssMb: number } | undefined {
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--cold'], { encoding: 'utf8' });
  if (child.status !== 0) return undefined;
  return JSON.parse(child.stdout) as { load: number; firstExpand: number; rssMb: number };
}

export async function run(): Promise<BenchLine[]> {
  const catalog = await loadCatalog();
  const { w, largeChars, largeActions } = workloads(catalog);
  let freshRun = 0;
  const lines: BenchLine[] = [
    { name: 'engine: expand 50-statement wildcard policy', value: `${ms(timeMs(w.expand50))} warm; ${ms(timeMs(() => w.expand50Fresh(++freshRun)))} with fresh patterns` },
    { name: 'engine: invert NotAction over the whole catalog', value: `${ms(timeMs(w.notAction))} warm (${catalog.all().length} actions)` },
    { name: 'engine: rewrite 50-statement policy (keep half, self-checked)', value: `${ms(timeMs(w.rewrite50))} warm` },
    { name: `engine: large document (${largeChars} chars, ${largeActions} actions): parse`, value: `${ms(timeMs(w.largeParse))} warm` },
    { name: 'engine: large document: expand', value: `${ms(timeMs(w.largeExpand))} warm` },
    { name: 'engine: large document: rewrite (keep half, self-checked)', value: `${ms(timeMs(w.largeRewrite))} warm` },
    { name: 'engine: large document: compact rewritten', value: `${ms(timeMs(w.largeCompact, 10))} warm` },
    { name: 'engine: large document: split rewritten into managed policies', value: `${ms(timeMs(w.largeSplit))} warm` },
  ];
  const c = cold();
  lines.push({
    name: 'engine: cold start (fresh process: catalog load + index + first 50-statement expansion)',
    value: c ? `${ms(c.firstExpand)} (catalog load ${ms(c.load)}); peak RSS ${c.rssMb.toFixed(0)} MB after all workloads` : 'child process failed',
  });
  return lines;
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  if (process.argv.includes('--cold')) await coldChild();
  else for (const line of await run()) console.log(`${line.name}: ${line.value}`);
}
