/**
 * The "How to apply" commands are pasted into a shell by a reviewer. IAM paths (so policy ARNs) may hold any printable
 * ASCII: `$(…)`, `;`, `|`, quotes. Every value must reach the aws CLI as one literal word.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyCommands, shellWord } from '../../src/render/apply-commands.js';
import { ACCOUNT, allow, customerManaged, daysBefore, doc, inline, snapshot, tracked, unusedService, usedService } from '../support/snapshots.js';
import { run } from '../support/pipeline.js';

const echo = (word: string): string => execFileSync('sh', ['-c', `printf %s ${word}`], { encoding: 'utf8' });

describe('apply commands', () => {
  it.each(["/$(touch${IFS}pwned)/", "/a;b|c&d/", "/it's/", '/`id`/', '/x"y\\z/'])('a policy path %s stays one literal word', (path) => {
    const policyArn = `arn:aws:iam::${ACCOUNT}:policy${path}team`;
    expect(echo(shellWord(policyArn))).toBe(policyArn);
    const policy = { ...customerManaged('team', doc(allow(['s3:CreateBucket', 'ec2:RunInstances'])), 3), PolicyArn: policyArn, Path: path };
    const rec = run({
      snapshot: snapshot({ policies: [policy], services: [usedService('s3', daysBefore(1), [tracked('CreateBucket', daysBefore(1))]), unusedService('ec2')] }),
    });
    const detach = applyCommands(rec).find((l) => l.includes('aws iam detach-role-policy'));
    expect(detach).toBe(`  && aws iam detach-role-policy --role-name app --policy-arn ${shellWord(policyArn)}`);
    expect(detach).not.toContain(`--policy-arn ${policyArn}`);
  });

  it('a replacement is one && chain: the original is detached only when every create and attach succeeded', () => {
    const script = [
      'aws() { echo "$*" >> calls; case "$2" in create-policy) return 1;; esac; }',
      ...applyCommands(
        run({
          snapshot: snapshot({
            policies: [customerManaged('team', doc(allow(['s3:CreateBucket', 'ec2:RunInstances'])), 3)],
            services: [usedService('s3', daysBefore(1), [tracked('CreateBucket', daysBefore(1))]), unusedService('ec2')],
          }),
        }),
      ),
      'cat calls',
    ].join('\n');
    const calls = execFileSync('sh', ['-c', script], { encoding: 'utf8', cwd: mkdtempSync(join(tmpdir(), 'apply-')) });
    expect(calls.trim().split('\n').map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual(['iam create-policy']);
  });

  it("a user's policy that comes from a group is the group's: its commands name the group", () => {
    const rec = run({
      snapshot: snapshot({ type: 'user', policies: [inline('base', doc(allow(['s3:CreateBucket', 'ec2:RunInstances'])))], services: [usedService('s3', daysBefore(1), [tracked('CreateBucket', daysBefore(1))]), unusedService('ec2')] }),
    });
    // the planner keeps a group's policies for a user; were one ever changed, its commands must reach the group
    const fromGroup = { ...rec, policies: rec.policies.map((p) => ({ ...p, source: { Type: 'group' as const, GroupName: 'devs', GroupArn: `arn:aws:iam::${ACCOUNT}:group/devs` } })) };
    expect(applyCommands(rec)).toContain('aws iam put-user-policy --user-name app --policy-name base --policy-document file://policies/base.json');
    expect(applyCommands(fromGroup)).toContain('aws iam put-group-policy --group-name devs --policy-name base --policy-document file://policies/base.json');
  });

  it('plain names and ARNs are written bare', () => {
    expect(shellWord(`arn:aws:iam::${ACCOUNT}:policy/team/app-ReadOnly+v2@x=y,z`)).toBe(`arn:aws:iam::${ACCOUNT}:policy/team/app-ReadOnly+v2@x=y,z`);
    expect(shellWord('file://policies/app.json')).toBe('file://policies/app.json');
  });
});
