/**
 * "How to roll back": for every kind of change, the commands that undo it once applied, and the originals of changed
 * inline policies kept in original/. Run for real through a fake `aws` on PATH (fake-aws.mjs, which keeps IAM's state
 * and refuses what IAM refuses), apply then rollback restore the principal exactly, and no rollback step leaves it
 * with less than the change gave it.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { SnapshotPolicy } from '../../src/snapshot/types.js';
import { stringifyPolicy } from '../../src/policy/index.js';
import { applyCommands } from '../../src/render/apply-commands.js';
import { renderExplanation } from '../../src/render/explanation.js';
import { renderFiles } from '../../src/render/files.js';
import type { Recommendation } from '../../src/render/recommendation.js';
import { rollbackCommands } from '../../src/render/rollback-commands.js';
import { decide } from '../policy/oracle.js';
import { run } from '../support/pipeline.js';
import { ACCOUNT, allow, awsManaged, customerManaged, daysBefore, doc, inline, snapshot, tracked, unusedService, usedService } from '../support/snapshots.js';
import { principalSubject } from '../support/subject.js';

/** s3:CreateBucket is used; every ec2 and sqs action is not */
const services = [usedService('s3', daysBefore(1), [tracked('CreateBucket', daysBefore(1))]), unusedService('ec2'), unusedService('sqs')];
const trimmable = doc(allow(['s3:CreateBucket', 'ec2:RunInstances']));
const unused = doc(allow(['ec2:RunInstances', 'sqs:SendMessage']));

const recommend = (policies: SnapshotPolicy[], type: 'role' | 'user' = 'role'): Recommendation => run({ snapshot: snapshot({ policies, services, type }) });

function groupRecommendation(): Recommendation {
  const s = snapshot({ policies: [inline('team', trimmable)], services });
  const principal = { ...principalSubject(s).principal, Type: 'group' as const, Arn: `arn:aws:iam::${ACCOUNT}:group/devs`, Name: 'devs' };
  return run({ snapshot: { ...s, subject: { ...principalSubject(s), principal } } });
}

const copy = `arn:aws:iam::${ACCOUNT}:policy`;

describe('rollback commands, per kind of change', () => {
  it.each([
    {
      kind: 'role inline update',
      rec: () => recommend([inline('app', trimmable)]),
      expected: ['# app: roll back update', 'aws iam put-role-policy --role-name app --policy-name app --policy-document file://original/app.json'],
    },
    {
      kind: 'user inline removal',
      rec: () => recommend([inline('old', unused)], 'user'),
      expected: ['# old: roll back remove', 'aws iam put-user-policy --user-name app --policy-name old --policy-document file://original/old.json'],
    },
    {
      kind: 'group inline update',
      rec: groupRecommendation,
      expected: ['# team: roll back update', 'aws iam put-group-policy --group-name devs --policy-name team --policy-document file://original/team.json'],
    },
    {
      kind: 'customer-managed policy updated in place',
      rec: () => recommend([customerManaged('mine', trimmable)]),
      expected: [
        '# mine: roll back update',
        `aws iam set-default-policy-version --policy-arn ${copy}/mine --version-id v1`,
        '# then, optionally, delete the trimmed version (create-policy-version printed its VersionId):',
        `# aws iam delete-policy-version --policy-arn ${copy}/mine --version-id '<VersionId>'`,
      ],
    },
    {
      kind: 'AWS-managed replacement',
      rec: () => recommend([awsManaged('ReadOnly', trimmable)]),
      expected: [
        '# ReadOnly: roll back replace',
        '# the original is attached again first; the last step deletes the copy (leave it out to keep it)',
        'aws iam attach-role-policy --role-name app --policy-arn arn:aws:iam::aws:policy/ReadOnly \\',
        `  && aws iam detach-role-policy --role-name app --policy-arn ${copy}/ReadOnly-trimmed-for-app \\`,
        `  && aws iam delete-policy --policy-arn ${copy}/ReadOnly-trimmed-for-app`,
      ],
    },
    {
      kind: 'shared customer-managed replacement',
      rec: () => recommend([customerManaged('team', trimmable, 3)]),
      expected: [
        '# team: roll back replace',
        '# the original is attached again first; the last step deletes the copy (leave it out to keep it)',
        `aws iam attach-role-policy --role-name app --policy-arn ${copy}/team \\`,
        `  && aws iam detach-role-policy --role-name app --policy-arn ${copy}/team-trimmed-for-app \\`,
        `  && aws iam delete-policy --policy-arn ${copy}/team-trimmed-for-app`,
      ],
    },
    {
      kind: 'managed policy detached',
      rec: () => recommend([customerManaged('team', unused, 3)]),
      expected: ['# team: roll back remove', `aws iam attach-role-policy --role-name app --policy-arn ${copy}/team`],
    },
  ])('$kind', ({ rec, expected }) => {
    const r = rec();
    expect(rollbackCommands(r)).toEqual(expected);
    expect(renderExplanation(r)).toContain(`## How to roll back\n\n`);
    expect(renderExplanation(r)).toContain(`\`\`\`sh\n${expected.join('\n')}\n\`\`\`\n`);
  });

  it('the section comes right after "How to apply"', () => {
    const md = renderExplanation(recommend([inline('app', trimmable)]));
    expect(md.indexOf('## How to roll back')).toBeGreaterThan(md.indexOf('## How to apply'));
    expect(md.slice(md.indexOf('## How to apply')).match(/^## .*/gm)).toEqual(['## How to apply', '## How to roll back']);
  });

  it('a replacement split into parts: the original is attached again, then every part is detached, then deleted', () => {
    const resources = Array.from({ length: 40 }, (_, i) => `arn:aws:s3:::${'b'.repeat(180)}-${i}`);
    const big = customerManaged('big', doc(...resources.map((r) => allow(['s3:CreateBucket', 'ec2:RunInstances'], r))), 2);
    const rec = recommend([big]);
    const parts = rec.policies[0]?.proposed.map((d) => `${copy}/${d.name}`) ?? [];
    expect(parts.length).toBeGreaterThan(1);
    const commands = rollbackCommands(rec).map((l) => l.replace(/^ {2}&& | \\$/g, ''));
    expect(commands).toEqual([
      '# big: roll back replace',
      `# the original is attached again first; the last ${parts.length} steps delete the copies (leave them out to keep them)`,
      `aws iam attach-role-policy --role-name app --policy-arn ${copy}/big`,
      ...parts.map((p) => `aws iam detach-role-policy --role-name app --policy-arn ${p}`),
      ...parts.map((p) => `aws iam delete-policy --policy-arn ${p}`),
    ]);
  });

  it('a managed policy without a known default version gets a placeholder that cannot run as is', () => {
    const rec = recommend([customerManaged('mine', trimmable)]);
    const unknown = { ...rec, policies: rec.policies.map(({ defaultVersionId: _, ...p }) => p) };
    expect(rollbackCommands(unknown)).toContain(`aws iam set-default-policy-version --policy-arn ${copy}/mine --version-id '<previous-default-version-id>'`);
  });

  it('nothing to apply: no rollback section either', () => {
    const md = renderExplanation(recommend([inline('app', doc(allow('s3:CreateBucket')))]));
    expect(md).toContain('## Nothing to apply');
    expect(md).not.toContain('roll back');
  });
});

describe('original/', () => {
  it('holds exactly the originals of the inline policies that change, printed like policies/*.json', () => {
    const rec = recommend([
      inline('app', trimmable),
      inline('old', unused),
      inline('fine', doc(allow('s3:CreateBucket'))),
      customerManaged('mine', trimmable),
      awsManaged('ReadOnly', trimmable),
    ]);
    const files = renderFiles(rec);
    const originals = [...files].filter(([f]) => f.startsWith('original/'));
    const original = (name: string): string => {
      const pol = rec.policies.find((p) => p.policyName === name);
      if (!pol) throw new Error(`no policy ${name}`);
      return stringifyPolicy(pol.original);
    };
    expect(originals).toEqual([
      ['original/app.json', original('app')],
      ['original/old.json', original('old')],
    ]);
    expect(JSON.parse(original('app'))).toEqual(trimmable);
    expect(files.get('policies/fine.json')).toBe(original('fine'));
  });

  it('nothing changes: no original/ at all', () => {
    const files = renderFiles(recommend([inline('app', doc(allow('s3:CreateBucket')))]));
    expect([...files.keys()].filter((f) => f.startsWith('original/'))).toEqual([]);
  });
});

// ---- apply, then roll back, through a fake aws CLI ----

const FAKE_AWS = join(dirname(fileURLToPath(import.meta.url)), 'fake-aws.mjs');
const OWNER = 'role/app';
const ACTIONS = ['s3:CreateBucket', 's3:GetObject', 's3:ListBucket', 's3:PutObject', 'ec2:RunInstances', 'sqs:SendMessage', 'kms:Decrypt'];

interface IamState {
  account: string;
  owner: string;
  inline: Record<string, Record<string, unknown>>;
  attached: Record<string, string[]>;
  policies: Record<string, { default: string; versions: Record<string, unknown> }>;
}

/** IAM before the change: the principal's inline originals, and each managed policy attached with its default version */
function iamBefore(rec: Recommendation): IamState {
  const state: IamState = { account: ACCOUNT, owner: OWNER, inline: { [OWNER]: {} }, attached: { [OWNER]: [] }, policies: {} };
  for (const p of rec.policies) {
    if (p.kind === 'inline') (state.inline[OWNER] as Record<string, unknown>)[p.policyName] = p.original;
    else {
      const arn = p.policyArn ?? '';
      state.attached[OWNER]?.push(arn);
      state.policies[arn] = { default: p.defaultVersionId ?? 'v1', versions: { [p.defaultVersionId ?? 'v1']: p.original } };
    }
  }
  return state;
}

interface Sandbox {
  /** runs command lines in the output folder: the exit status and what failed on stderr */
  runScript: (lines: string[]) => { status: number | null; stderr: string };
  state: () => IamState;
  setState: (state: IamState) => void;
  /** the owner's effective documents after each step that changed IAM */
  steps: () => unknown[][];
}

/** writes the output folder and the fake aws on PATH */
function sandbox(rec: Recommendation, state: IamState): Sandbox {
  const root = mkdtempSync(join(tmpdir(), 'rollback-'));
  const out = join(root, 'out');
  for (const [file, text] of renderFiles(rec)) {
    mkdirSync(dirname(join(out, file)), { recursive: true });
    writeFileSync(join(out, file), text);
  }
  mkdirSync(join(root, 'bin'));
  writeFileSync(join(root, 'bin', 'aws'), `#!/bin/sh\nexec "${process.execPath}" "${FAKE_AWS}" "$@"\n`);
  chmodSync(join(root, 'bin', 'aws'), 0o755);
  const statePath = join(root, 'iam.json');
  writeFileSync(statePath, JSON.stringify(state));
  const env = { ...process.env, PATH: `${join(root, 'bin')}:${process.env.PATH ?? ''}`, FAKE_AWS_STATE: statePath };
  return {
    runScript: (lines) => {
      const r = spawnSync('sh', ['-c', lines.join('\n')], { cwd: out, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      return { status: r.status, stderr: r.stderr };
    },
    state: () => JSON.parse(readFileSync(statePath, 'utf8')) as IamState,
    setState: (next) => writeFileSync(statePath, JSON.stringify(next)),
    steps: () =>
      readFileSync(`${statePath}.log`, 'utf8')
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { effective: unknown[] }).effective),
  };
}

/** the catalog actions the owner's documents together allow (every test document has Resource "*") */
const allowed = (docs: unknown[]): string[] =>
  ACTIONS.filter(
    (action) =>
      decide({ Version: '2012-10-17', Statement: docs.flatMap((d) => (d as { Statement: never[] }).Statement) }, { action, resource: '*', context: {} }) === 'Allowed',
  );

describe('apply, then roll back, through a fake aws CLI', () => {
  const everyKind = (): Recommendation =>
    recommend([
      // each kept s3 action is granted by one policy only, so a step that took a policy away too early would show
      inline('app', trimmable),
      inline('old', unused),
      customerManaged('mine', doc(allow(['s3:GetObject', 'ec2:RunInstances']))),
      customerManaged('team', doc(allow(['s3:ListBucket', 'ec2:RunInstances'])), 3),
      customerManaged('spare', unused, 3),
      awsManaged('ReadOnly', doc(allow(['s3:PutObject', 'ec2:RunInstances']))),
    ]);

  it('every kind of change at once: the rollback restores the inline documents, the attachments and the default versions', () => {
    const rec = everyKind();
    expect(rec.policies.map((p) => `${p.policyName} ${p.action}`)).toEqual(['app update', 'old remove', 'mine update', 'team replace', 'spare remove', 'ReadOnly replace']);
    const before = iamBefore(rec);
    const box = sandbox(rec, before);

    expect(box.runScript(applyCommands(rec))).toEqual({ status: 0, stderr: '' });
    const applied = box.state();
    expect(Object.keys(applied.inline[OWNER] ?? {})).toEqual(['app']);
    expect(applied.attached[OWNER]).toEqual([`${copy}/mine`, `${copy}/team-trimmed-for-app`, `${copy}/ReadOnly-trimmed-for-app`]);
    expect(applied.policies[`${copy}/mine`]?.default).toBe('v2');
    const appliedSteps = box.steps().length;

    expect(box.runScript(rollbackCommands(rec))).toEqual({ status: 0, stderr: '' });
    const after = box.state();
    expect(after.inline).toEqual(before.inline);
    expect([...(after.attached[OWNER] ?? [])].sort()).toEqual([...(before.attached[OWNER] ?? [])].sort());
    for (const [arn, p] of Object.entries(before.policies)) expect(after.policies[arn]?.default).toBe(p.default);
    // the copies are gone; the trimmed version is left for the reviewer to delete
    expect(Object.keys(after.policies).sort()).toEqual(Object.keys(before.policies).sort());
    expect(Object.keys(after.policies[`${copy}/mine`]?.versions ?? {})).toEqual(['v1', 'v2']);

    // no step of the rollback takes away anything the principal held after the change or since
    const rollbackSteps = box.steps().slice(appliedSteps - 1);
    const afterChange = allowed(rollbackSteps[0] ?? []);
    expect(afterChange).toEqual(['s3:CreateBucket', 's3:GetObject', 's3:ListBucket', 's3:PutObject']);
    rollbackSteps.reduce((held, step) => {
      expect(allowed(step)).toEqual(expect.arrayContaining(held));
      return allowed(step);
    }, afterChange);
    expect(allowed(rollbackSteps.at(-1) ?? [])).toEqual(allowed(rec.policies.map((p) => p.original)));
  });

  it('a failed attach of the original stops the chain: the copy stays attached, nothing is detached', () => {
    const rec = recommend([awsManaged('ReadOnly', trimmable)]);
    const box = sandbox(rec, iamBefore(rec));
    expect(box.runScript(applyCommands(rec)).status).toBe(0);
    // the original cannot be attached any more (a quota reached since, say): attach-role-policy fails
    const applied = box.state();
    delete applied.policies['arn:aws:iam::aws:policy/ReadOnly'];
    box.setState(applied);
    const rollback = box.runScript(rollbackCommands(rec));
    expect(rollback.status).not.toBe(0);
    expect(rollback.stderr).toContain('(NoSuchEntity) when calling the attach-role-policy operation');
    expect(box.state().attached[OWNER]).toEqual([`${copy}/ReadOnly-trimmed-for-app`]);
    expect(box.state().policies[`${copy}/ReadOnly-trimmed-for-app`]).toBeDefined();
  });
});
