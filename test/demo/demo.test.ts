import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runDemo } from '../../scripts/demo.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function demoRun(): Promise<{ outDir: string; stdout: string }> {
  const outDir = await mkdtemp(join(tmpdir(), 'leastpriv-demo-'));
  dirs.push(outDir);
  let stdout = '';
  await runDemo({ outDir, write: (t) => (stdout += t) });
  return { outDir, stdout: stdout.split(outDir).join('OUT') };
}

async function tree(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(path.slice(dir.length + 1), await readFile(path, 'utf8'));
  }
  return files;
}

describe('npm run demo (the README main-job line)', () => {
  it('recommends for the whole demo account in one run through the emulator, with reductions, and the same bytes twice', async () => {
    const first = await demoRun();
    const roles = ['role/ci-deploy', 'role/orders-lambda', 'role/data-pipeline', 'role/reporting', 'user/dana', 'group/oncall'];
    for (const role of roles) {
      expect(first.stdout).toMatch(new RegExp(`^  ${role} +[\\d,]+ → [\\d,]+ +actions .* OUT/${role}/$`, 'm'));
    }
    // one index for the review, named on stdout; the service-linked role is listed, not recommended
    expect(first.stdout).toMatch(/^index: OUT\/index\.md \(15 subjects: 12 with reductions, 2 unchanged, 1 skipped, 0 failed\)/m);
    expect(first.stdout).toMatch(/^  role\/AWSServiceRoleForECS +skipped \(service-linked-role\)$/m);
    const files = await tree(first.outDir);
    expect(files.get('index.md')).toContain('| `role/AWSServiceRoleForECS` |');
    expect([...files.keys()].some((f) => f.startsWith('role/AWSServiceRoleForECS/'))).toBe(false);
    for (const role of roles) {
      for (const name of ['explanation.md', 'diff.patch', 'recommendation.json']) expect(files.has(`${role}/${name}`)).toBe(true);
      const rec = JSON.parse(files.get(`${role}/recommendation.json`) ?? '{}') as { summary: { before: { actions: number }; after: { actions: number } } };
      expect(rec.summary.after.actions).toBeLessThan(rec.summary.before.actions);
      expect([...files.keys()].some((f) => f.startsWith(`${role}/policies/`) && f.endsWith('.json'))).toBe(true);
    }
    // AWS never reports iam:PassRole: the admin role keeps it, and says why
    expect(files.get('role/ci-deploy/explanation.md')).toContain('iam:PassRole');
    // the organization: its allow-list SCP trimmed, a guardrail for workloads, none for sandbox (a young account)
    expect(first.stdout).toMatch(/^  workloads-allowed-services +[\d,]+ → [\d,]+ +actions .* OUT\/workloads-allowed-services\/$/m);
    expect(first.stdout).toMatch(/^  ou-dm01-wrkld001 +workloads +guardrail denies kinesis, sqs +OUT\/ou-dm01-wrkld001\/$/m);
    expect(first.stdout).toMatch(/^  ou-dm01-sndbx001 +sandbox +no guardrail \(observation-window-too-short\)/m);
    expect(files.get('workloads-allowed-services/explanation.md')).toContain('aws organizations update-policy --policy-id p-wrkldallow1');
    expect(files.get('ou-dm01-wrkld001/explanation.md')).toContain('aws organizations attach-policy');
    // the policy shared by two roles and a group is trimmed once, for all of them, from its own report
    expect(first.stdout).toMatch(/^  policy\/fleet-operations +10 → 7 +actions .* OUT\/policy\/fleet-operations\/$/m);
    const fleet = JSON.parse(files.get('policy/fleet-operations/recommendation.json') ?? '{}') as { subjectKind: string; managedPolicy: { attachedEntities: { Name: string }[] } };
    expect(fleet.subjectKind).toBe('managed-policy');
    expect(fleet.managedPolicy.attachedEntities.map((e) => e.Name)).toEqual(['batch-worker', 'web-frontend', 'oncall']);
    expect(files.get('policy/fleet-operations/explanation.md')).toContain('aws iam create-policy-version --policy-arn arn:aws:iam::111122223333:policy/fleet-operations');
    // the AdministratorAccess role's explanation is the demo's largest: rolled up per service, a reviewer reads it
    for (const [path, text] of files) if (path.endsWith('explanation.md')) expect(text.length, path).toBeLessThan(20_000);

    const second = await demoRun();
    expect(second.stdout).toBe(first.stdout);
    expect(await tree(second.outDir)).toEqual(files);
  });
});
