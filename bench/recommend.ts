/**
 * Recommend benchmark. `export run()` for bench/run.ts; also runnable alone (`node dist/bench/recommend.js`).
 * - One role holding a ReadOnlyAccess-sized AWS-managed policy (Get/List/Describe/… of every catalog service, about
 *   the 80k characters of the real one), with a report listing every service and ~20 in use: end to end (validation,
 *   analysis, generation with compaction/splitting, rendering of every output file), cold and warm.
 * - One role holding a customer-managed `Allow *` (AdministratorAccess-sized once narrowed), updated in place, with a
 *   report listing every service, 40 in use with their tracked actions scattered between used and never used: the
 *   fitting search (generate/fit-search.ts) must find the 6,144-character version that removes the most.
 * - 1,000 varied snapshots recommended and rendered in one process: total time and peak RSS.
 * Snapshots are synthetic and deterministic (a fixed-seed generator), nothing is written to disk.
 */
import { pathToFileURL } from 'node:url';
// the emulator's seeded PRNG (mulberry32): every run benchmarks the same inputs
import { seededRandom } from '../emulator/faults.js';
import type { Catalog } from '../src/catalog/catalog.js';
import { loadCatalog } from '../src/catalog/load.js';
import { recommendWith } from '../src/recommend.js';
import { renderFiles } from '../src/render/files.js';
import type { ServiceLastAccessed, Snapshot, SnapshotPolicy } from '../src/snapshot/types.js';

export interface BenchLine {
  name: string;
  value: string;
}

const T = '2026-11-20T12:00:00.000Z';
const ago = (days: number): string => new Date(Date.parse(T) - days * 86_400_000).toISOString();
const READ_PREFIXES = ['Get', 'List', 'Describe', 'BatchGet', 'Search', 'View', 'Query'];

function baseSnapshot(name: string, policies: SnapshotPolicy[], services: ServiceLastAccessed[]): Snapshot {
  return {
    schemaVersion: 2,
    subject: {
      Kind: 'principal',
      principal: { Type: 'role', Arn: `arn:aws:iam::123456789012:role/${name}`, Name: name, Path: '/', CreateDate: '2024-01-01T00:00:00Z' },
      policies,
    },
    report: { Kind: 'service-last-accessed', JobType: 'ACTION_LEVEL', JobStatus: 'COMPLETED', JobCreationDate: ago(0.0001), JobCompletionDate: T, ServicesLastAccessed: services },
    collection: { Source: 'hand-written', ToolVersion: 'bench', CatalogVersion: 'bench' },
  };
}

/** a service in the report: used recently with some tracked actions used and some never, or unused */
function reportEntry(catalog: Catalog, ns: string, used: boolean, rand: () => number): ServiceLastAccessed {
  if (!used) return { ServiceName: catalog.serviceName(ns), ServiceNamespace: ns, TotalAuthenticatedEntities: 0 };
  const actions = catalog.actionsOf(ns) ?? [];
  const tracked = actions
    .filter(() => rand() < 0.5)
    .map((a) => (rand() < 0.3 ? { ActionName: a.name, LastAccessedTime: ago(1 + Math.floor(rand() * 300)), LastAccessedRegion: 'eu-west-1' } : { ActionName: a.name }));
  return {
    ServiceName: catalog.serviceName(ns),
    ServiceNamespace: ns,
    LastAuthenticated: ago(1),
    LastAuthenticatedRegion: 'eu-west-1',
    TotalAuthenticatedEntities: 1,
    ...(tracked.length ? { TrackedActionsLastAccessed: tracked } : {}),
  };
}

export function readOnlySizedSnapshot(catalog: Catalog): Snapshot {
  const rand = seededRandom(42);
  // like the real policy, only patterns that match something (a pattern matching nothing is kept verbatim and warned)
  const actions = catalog.services.flatMap((svc) => {
    const names = (catalog.actionsOf(svc) ?? []).map((a) => a.name);
    return READ_PREFIXES.filter((p) => names.some((n) => n.startsWith(p))).map((p) => `${svc}:${p}*`);
  });
  // and, as the real one does, explicit read actions (some also covered by a prefix), up to its ~80k characters
  let size = JSON.stringify(actions).length;
  for (const a of catalog.all()) {
    if (size > 80_000) break;
    if (a.accessLevel === 'Read' || a.accessLevel === 'List') {
      actions.push(a.id);
      size += a.id.length + 3;
    }
  }
  const policy: SnapshotPolicy = {
    Kind: 'managed',
    ManagedBy: 'aws',
    PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccessLike',
    PolicyName: 'ReadOnlyAccessLike',
    AttachmentCount: 40,
    DefaultVersionId: 'v1',
    PolicyDocument: { Version: '2012-10-17', Statement: [{ Sid: 'ReadOnly', Effect: 'Allow', Action: actions, Resource: '*' }] },
    Source: { Type: 'principal' },
  };
  const services = catalog.services.map((ns, i) => reportEntry(catalog, ns, i % 22 === 0, rand));
  return baseSnapshot('readonly-auditor', [policy], services);
}

export function adminSizedInPlaceSnapshot(catalog: Catalog): Snapshot {
  const inUse = new Set(catalog.services.filter((_, i) => i % 11 === 0).slice(0, 40));
  const services = catalog.services.map((ns): ServiceLastAccessed => {
    if (!inUse.has(ns)) return { ServiceName: ns, ServiceNamespace: ns, TotalAuthenticatedEntities: 0 };
    const tracked = (catalog.actionsOf(ns) ?? []).map((a, i) => ({ ActionName: a.name, ...(i % 2 === 0 ? { LastAccessedTime: ago(3) } : {}) }));
    return { ServiceName: ns, ServiceNamespace: ns, LastAuthenticated: ago(3), TotalAuthenticatedEntities: 1, TrackedActionsLastAccessed: tracked };
  });
  const policy: SnapshotPolicy = {
    Kind: 'managed',
    ManagedBy: 'customer',
    PolicyArn: 'arn:aws:iam::123456789012:policy/everything',
    PolicyName: 'everything',
    AttachmentCount: 1,
    DefaultVersionId: 'v1',
    PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
    Source: { Type: 'principal' },
  };
  return baseSnapshot('admin-in-place', [policy], services);
}

/** one of the 1,000 varied role snapshots (also the account-wide replay benchmark's input, bench/batch-offline.ts) */
export function variedSnapshot(catalog: Catalog, i: number): Snapshot {
  const rand = seededRandom(1000 + i);
  const pick = <X>(xs: readonly X[]): X => xs[Math.floor(rand() * xs.length)] as X;
  const services = Array.from({ length: 2 + Math.floor(rand() * 6) }, () => pick(catalog.services));
  const unique = [...new Set(services)];
  const policies: SnapshotPolicy[] = unique.slice(0, 3).map((svc, k) => {
    const names = (catalog.actionsOf(svc) ?? []).map((a) => a.id);
    const chosen = rand() < 0.3 ? [`${svc}:*`] : [...new Set(Array.from({ length: 3 + Math.floor(rand() * 25) }, () => pick(names)))];
    const extra = unique.slice(3).flatMap((s) => (rand() < 0.5 ? [`${s}:Get*`] : [`${s}:*`]));
    const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: k === 0 ? [...chosen, ...extra] : chosen, Resource: '*' }] };
    return k === 1
      ? { Kind: 'managed', ManagedBy: 'customer', PolicyArn: `arn:aws:iam::123456789012:policy/p${i}-${k}`, PolicyName: `p${i}-${k}`, AttachmentCount: 1 + Math.floor(rand() * 3), DefaultVersionId: 'v1', PolicyDocument: doc, Source: { Type: 'principal' } }
      : { Kind: 'inline', PolicyName: `p${i}-${k}`, PolicyDocument: doc, Source: { Type: 'principal' } };
  });
  const report = unique.filter(() => rand() < 0.9).map((ns) => reportEntry(catalog, ns, rand() < 0.6, rand));
  return baseSnapshot(`role-${i}`, policies, report);
}

const ms = (n: number): string => `${n < 10 ? n.toFixed(1) : Math.round(n)} ms`;

function endToEnd(catalog: Catalog, snapshot: unknown): { bytes: number } {
  const rec = recommendWith({ snapshot, catalog, toolVersion: 'bench' });
  let bytes = 0;
  for (const text of renderFiles(rec).values()) bytes += text.length;
  return { bytes };
}

export async function run(): Promise<BenchLine[]> {
  const t0 = performance.now();
  const catalog = await loadCatalog();
  const catalogMs = performance.now() - t0;
  const big = readOnlySizedSnapshot(catalog);
  const policyChars = JSON.stringify(big.subject.Kind === 'principal' ? big.subject.policies[0]?.PolicyDocument : undefined).length;

  const c0 = performance.now();
  endToEnd(catalog, big);
  const cold = performance.now() - c0;
  const warm: number[] = [];
  let outBytes = 0;
  for (let i = 0; i < 10; i++) {
    const s = performance.now();
    outBytes = endToEnd(catalog, big).bytes;
    warm.push(performance.now() - s);
  }
  warm.sort((a, b) => a - b);
  const median = warm[Math.floor(warm.length / 2)] as number;

  const admin = adminSizedInPlaceSnapshot(catalog);
  endToEnd(catalog, admin);
  const fitting: number[] = [];
  for (let i = 0; i < 10; i++) {
    const s = performance.now();
    endToEnd(catalog, admin);
    fitting.push(performance.now() - s);
  }
  fitting.sort((a, b) => a - b);
  const adminRec = recommendWith({ snapshot: admin, catalog, toolVersion: 'bench' });
  const adminPolicy = adminRec.policies[0];

  const snapshots = Array.from({ length: 1000 }, (_, i) => variedSnapshot(catalog, i));
  const m0 = performance.now();
  let changed = 0;
  for (const s of snapshots) {
    const rec = recommendWith({ snapshot: s, catalog, toolVersion: 'bench' });
    renderFiles(rec);
    if (rec.outcome === 'reductions-recommended') changed++;
  }
  const many = performance.now() - m0;
  const rssMb = process.resourceUsage().maxRSS / 1024;

  return [
    {
      name: 'recommend: ReadOnlyAccess-sized role, end to end (validate, analyze, generate, render)',
      value: `${ms(median)} warm (median of 10), ${ms(cold)} first run after a ${ms(catalogMs)} catalog load; ${Math.round(policyChars / 1000)}k-character policy, ${Math.round(outBytes / 1000)}k characters of output (target < 200 ms warm)`,
    },
    {
      name: 'recommend: customer-managed Allow * updated in place, fitted to 6,144 characters',
      value:
        `${ms(fitting[Math.floor(fitting.length / 2)] as number)} warm (median of 10); ${adminRec.summary.before.actions.toLocaleString('en-US')} → ` +
        `${adminRec.summary.after.actions.toLocaleString('en-US')} actions, ${adminRec.summary.servicesRemoved.length} services removed, ` +
        `${adminPolicy?.proposed[0]?.size.toLocaleString('en-US') ?? '?'} characters (target < 200 ms warm)`,
    },
    {
      name: 'recommend: 1,000 snapshots in one process',
      value: `${(many / 1000).toFixed(1)} s (${ms(many / 1000)} each, ${changed} with reductions), peak RSS ${Math.round(rssMb)} MB (target < 30 s)`,
    },
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const line of await run()) process.stdout.write(`${line.name}: ${line.value}\n`);
}
