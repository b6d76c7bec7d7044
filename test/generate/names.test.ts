/**
 * A replacement copy of a shared or AWS-managed policy is named for what it is, `<policy>-trimmed-for-<principal>`,
 * within IAM's policy-name rules: at most 128 characters of [\w+=,.@-], unique per account case-insensitively.
 */
import { describe, expect, it } from 'vitest';
import { replacementName } from '../../src/generate/names.js';

const IAM_POLICY_NAME = /^[\w+=,.@-]{1,128}$/;
const name = (policyName: string, principalName: string, part?: number, taken = new Set<string>()): string =>
  replacementName({ policyName, principalName, taken, ...(part === undefined ? {} : { part }) });

describe('replacementName', () => {
  it('names the copy after the policy it trims and the principal it is for', () => {
    expect(name('AdministratorAccess', 'ci-deploy')).toBe('AdministratorAccess-trimmed-for-ci-deploy');
    expect(name('AdministratorAccess', 'ci-deploy', 2)).toBe('AdministratorAccess-trimmed-for-ci-deploy-2');
  });

  it('cuts a long policy name first and keeps a role or user name whole, within 128 characters', () => {
    const policy = `P${'o'.repeat(127)}`;
    const role = `r${'x'.repeat(62)}z`; // 64, the longest role name
    for (const part of [undefined, 1, 12]) {
      const n = name(policy, role, part);
      expect(n).toMatch(IAM_POLICY_NAME);
      expect(n.length).toBe(128);
      expect(n).toContain(`-trimmed-for-${role}${part === undefined ? '' : `-${part}`}`);
      expect(n.startsWith('Poo')).toBe(true);
    }
  });

  it('cuts a group name over 64 characters too, when the policy name leaves no room', () => {
    const n = name('p'.repeat(128), 'g'.repeat(128));
    expect(n).toMatch(IAM_POLICY_NAME);
    expect(n.length).toBe(128);
    expect(n).toContain(`-trimmed-for-${'g'.repeat(64)}`);
    // a short policy name leaves the room to the group
    expect(name('p', 'g'.repeat(110))).toBe(`p-trimmed-for-${'g'.repeat(110)}`);
  });

  it('marks a name already taken (case-insensitively) with -leastpriv, -leastpriv2, … before the part', () => {
    const taken = new Set(['readonly-trimmed-for-app']);
    expect(name('ReadOnly', 'app', undefined, taken)).toBe('ReadOnly-trimmed-for-app-leastpriv');
    expect(name('readonly', 'app', undefined, taken)).toBe('readonly-trimmed-for-app-leastpriv2');
    expect(taken.has('readonly-trimmed-for-app-leastpriv2')).toBe(true);
    const long = new Set<string>();
    const first = name('p'.repeat(128), 'app', 1, long);
    const second = name('p'.repeat(128), 'app', 1, long);
    expect(second).not.toBe(first);
    expect(second).toMatch(/-trimmed-for-app-leastpriv-1$/);
    expect(second.length).toBe(128);
  });
});
