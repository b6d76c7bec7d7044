/**
 * `npm run demo`: leastpriv end to end with no AWS account. Starts the local AWS emulator seeded with
 * policies-examples/demo-account/fixture.json on a free 127.0.0.1 port, runs one account-wide `leastpriv recommend
 * --all-roles --all-users --all-groups --all-policies` (the real CLI code path, through the real AWS SDK) into
 * ./out/<kind>/<name>/ with ./out/index.md, then the organization's SCP and OUs, prints one line per subject, and
 * stops the emulator. The emulator's clock is the fixture's `now`, so the output is the same on every run.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startEmulator, type EmulatorFixture, type RunningEmulator } from '../emulator/index.js';
import { main } from '../src/cli/main.js';
import { formatDateTime } from '../src/text.js';


/** The demo account's fixture, found from scripts/ (vite-node) or from dist/scripts/ (npm run demo); bench/collect.ts uses it too. */
export async function demoFixture(): Promise<EmulatorFixture> {
  for (const up of ['../policies-examples/', '../../policies-examples/']) {
    try {
      return JSON.parse(await readFile(new URL(`${up}demo-account/fixture.json`, import.meta.url), 'utf8')) as EmulatorFixture;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
  throw new Error('policies-examples/demo-account/fixture.json not found');
}

/** The demo talks to the emulator only: fixed dummy credentials, whatever the shell has configured. */
function useEmulatorCredentials(): void {
  for (const name of ['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_IAM', 'AWS_ENDPOINT_URL_STS']) {
    delete process.env[name];
  }
  process.env['AWS_ACCESS_KEY_ID'] = 'AKIDLEASTPRIVDEMO';
  process.env['AWS_SECRET_ACCESS_KEY'] = 'demo-secret-not-checked';
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';
}

interface RecommendationSummary {
  outcome: string;
  summary: {
    before: { actions: number; services: number };
    after: { actions: number; services: number };
    policies: Record<string, number>;
  };
}

interface GuardrailSummary {
  outcome: string;
  policies: { action: string; proposed: { document: { Statement: { Action?: string | string[] }[] } }[]; why: string }[];
}

function guardrailLine(name: string, label: string, rec: GuardrailSummary, out: string, width: number): string {
  const denied = rec.policies.flatMap((p) => p.proposed.flatMap((d) => d.document.Statement.flatMap((s) => [s.Action ?? []].flat())));
  const what = denied.length ? `guardrail denies ${denied.map((a) => a.replace(/:\*$/, '')).join(', ')}` : `no guardrail (${rec.outcome})`;
  return `  ${name.padEnd(width)} ${label.padEnd(10)} ${what}  ${out}/${name}/`;
}

function summaryLine(role: string, rec: RecommendationSummary, folder: string, width: number): string {
  const { before, after, policies } = rec.summary;
  const n = (x: number): string => x.toLocaleString('en-US');
  const changes = Object.entries(policies)
    .filter(([, count]) => count > 0)
    .map(([action, count]) => `${count} ${action}`)
    .join(', ');
  return (
    `  ${role.padEnd(width)} ${n(before.actions).padStart(6)} → ${n(after.actions).padEnd(6)} actions` +
    ` (${before.services} → ${after.services} services; policies: ${changes})  ${folder}`
  );
}

async function recommendSubject(
  emulator: RunningEmulator,
  subject: { flag: '--role-arn' | '--policy-arn' | '--scp-id' | '--entity-path'; arn: string },
  out: string,
): Promise<void> {
  let stderr = '';
  const code = await main(['recommend', subject.flag, subject.arn, '--endpoint-url', emulator.endpoint, '--region', 'us-east-1', '--out', out], {
    stdout: () => undefined,
    stderr: (t) => (stderr += t),
  });
  if (code !== 0) throw new Error(`leastpriv recommend ${subject.flag} ${subject.arn} failed: ${stderr.trim()}`);
}

interface SummaryFile {
  totals: { subjects: number; reduced: number; unchanged: number; failed: number; skipped: number };
  subjects: { kind: string; name: string; status: string; folder?: string; reason?: string; error?: string }[];
}

/** The whole account in one command, as the README shows it: every role, user, group and attached customer policy. */
const ACCOUNT_FLAGS = ['--all-roles', '--all-users', '--all-groups', '--all-policies'] as const;

async function recommendAccount(emulator: RunningEmulator, out: string): Promise<SummaryFile> {
  let stderr = '';
  const argv = ['recommend', ...ACCOUNT_FLAGS, '--endpoint-url', emulator.endpoint, '--region', 'us-east-1', '--out', out, '--quiet'];
  const code = await main(argv, { stdout: () => undefined, stderr: (t) => (stderr += t) });
  if (code !== 0) throw new Error(`leastpriv recommend ${ACCOUNT_FLAGS.join(' ')} failed: ${stderr.trim()}`);
  return JSON.parse(await readFile(join(out, 'summary.json'), 'utf8')) as SummaryFile;
}

/**
 * The demo itself: `outDir` is where the folders go (relative paths are printed as given), `write` takes the text
 * meant for stdout. Exported so a test runs exactly what `npm run demo` runs.
 */
export async function runDemo(options: { outDir: string; write: (text: string) => void }): Promise<void> {
  const { outDir, write } = options;
  useEmulatorCredentials();
  const fixture = await demoFixture();
  const emulator = await startEmulator({ fixture, port: 0 });
  try {
    write(
      // no port in the text: the demo prints the same bytes on every run
      `leastpriv demo: local AWS emulator on 127.0.0.1 (account ${fixture.accountId}, as of ${formatDateTime(fixture.now)})\n` +
        `recommend ${ACCOUNT_FLAGS.join(' ')}: the whole account in one run, through the AWS SDK, threshold 90 days:\n`,
    );
    const summary = await recommendAccount(emulator, outDir);
    const org = fixture.organization;
    const scps = (org?.policies ?? []).filter((p) => !p.awsManaged).map((p) => ({ name: p.name, arn: p.id }));
    const ous = org
      ? (org.organizationalUnits ?? []).filter((ou) => ou.parentId === org.rootId).map((ou) => ({ name: ou.id, label: ou.name, arn: `${org.id}/${org.rootId}/${ou.id}` }))
      : [];
    // one column for every name: the account's subjects and the organization's alike
    const width = Math.max(16, ...summary.subjects.map((s) => `${s.kind}/${s.name}`.length), ...[...scps, ...ous].map((s) => s.name.length));
    for (const s of summary.subjects) {
      const label = `${s.kind}/${s.name}`;
      if (s.status === 'recommended' && s.folder !== undefined) {
        const rec = JSON.parse(await readFile(join(outDir, s.folder, 'recommendation.json'), 'utf8')) as RecommendationSummary;
        write(`${summaryLine(label, rec, `${outDir}/${s.folder}`, width)}\n`);
      } else {
        write(`  ${label.padEnd(width)} ${s.status} (${s.reason ?? s.error ?? ''})\n`);
      }
    }
    const t = summary.totals;
    write(
      `index: ${outDir}/index.md (${t.subjects} subjects: ${t.reduced} with reductions, ${t.unchanged} unchanged, ` +
        `${t.skipped} skipped, ${t.failed} failed) and ${outDir}/summary.json\n`,
    );
    if (org) {
      write(`\nOrganizations ${org.id}: recommend --scp-id for its allow-list SCP, --entity-path (a deny-list guardrail) for its top-level OUs:\n`);
      for (const scp of scps) {
        await recommendSubject(emulator, { flag: '--scp-id', arn: scp.arn }, outDir);
        const rec = JSON.parse(await readFile(join(outDir, scp.name, 'recommendation.json'), 'utf8')) as RecommendationSummary;
        write(`${summaryLine(scp.name, rec, `${outDir}/${scp.name}/`, width)}\n`);
      }
      for (const ou of ous) {
        await recommendSubject(emulator, { flag: '--entity-path', arn: ou.arn }, outDir);
        const rec = JSON.parse(await readFile(join(outDir, ou.name, 'recommendation.json'), 'utf8')) as GuardrailSummary;
        write(`${guardrailLine(ou.name, ou.label, rec, outDir, width)}\n`);
      }
    }
    const first = summary.subjects.find((s) => s.folder !== undefined)?.folder ?? 'role/<name>/';
    write(
      `\nEach folder holds explanation.md (for the ticket, with how to apply and how to roll back), diff.patch,\nrecommendation.json, policies/ (the proposed permission set) and, where inline policies change, original/.\n` +
        `Start with ${outDir}/index.md, then ${outDir}/${first}explanation.md.\n` +
        `Against your own account (read-only; permissions in docs/required-permissions.json), from this clone:\n` +
        `  node dist/src/cli/main.js recommend --all-roles --out ${outDir}\n` +
        `  node dist/src/cli/main.js recommend --role-arn arn:aws:iam::<account-id>:role/<name> --out ${outDir}    (one role)\n`,
    );
  } finally {
    await emulator.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // `npm run demo | head` closes the pipe early: not an error
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
  });
  runDemo({ outDir: 'out', write: (text) => process.stdout.write(text) }).catch((e: unknown) => {
    process.stderr.write(`demo: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}
