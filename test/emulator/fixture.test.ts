import { describe, expect, it } from 'vitest';
import { FixtureError, startEmulator, validateFixture } from '../../emulator/index.js';
import { smallAccount } from './helpers.js';

describe('fixture validation', () => {
  it('accepts the small account', () => {
    expect(validateFixture(smallAccount()).accountId).toBe('123456789012');
  });

  it.each([
    [{ accountId: '12', now: '2026-01-01T00:00:00Z' }, /\/accountId must match pattern/],
    [{ accountId: '123456789012' }, /must have required property 'now'/],
    [{ accountId: '123456789012', now: '2026-01-01T00:00:00Z', roles: [{ name: 'r', extra: 1 }] }, /\/roles\/0 must NOT have additional properties 'extra'/],
    [{ accountId: '123456789012', now: '2026-01-01T00:00:00Z', policies: [{ name: 'p' }] }, /\/policies\/0/],
    // IAM keeps at most five versions of a managed policy
    [{ accountId: '123456789012', now: '2026-01-01T00:00:00Z', policies: [{ name: 'p', defaultVersionId: 'v1', versions: [{ versionId: 'v1', document: {} }, { versionId: 'v2', document: {} }, { versionId: 'v3', document: {} }, { versionId: 'v4', document: {} }, { versionId: 'v5', document: {} }, { versionId: 'v6', document: {} }] }] }, /\/policies\/0\/versions must NOT have more than 5 items/],
  ])('rejects a schema violation with the path in one line (%#)', (fixture, message) => {
    expect(() => validateFixture(fixture)).toThrow(FixtureError);
    expect(() => validateFixture(fixture)).toThrow(message);
  });

  it.each([
    [{ roles: [{ name: 'r', attachedPolicies: ['arn:aws:iam::123456789012:policy/missing'] }] }, /role r attaches .*policy\/missing, which is not declared/],
    [{ users: [{ name: 'u', groups: ['nope'] }] }, /user u is in group nope, which is not declared/],
    [{ usage: { 'arn:aws:iam::123456789012:role/ghost': [] } }, /usage for .*role\/ghost, which is not a declared role or user/],
    [{ policies: [{ name: 'p', versions: [{ versionId: 'v1', document: {} }], defaultVersionId: 'v2' }] }, /defaultVersionId v2 but no such version/],
    [{ policies: [{ name: 'p', versions: [{ versionId: 'v1', document: {} }, { versionId: 'v1', document: {} }], defaultVersionId: 'v1' }] }, /policy .*:policy\/p declares version v1 twice/],
  ])('rejects a broken reference when the emulator starts (%#)', async (partial, message) => {
    const fixture = { accountId: '123456789012', now: '2026-01-01T00:00:00Z', ...partial };
    await expect(startEmulator({ fixture })).rejects.toThrow(message);
  });
});
