/**
 * When every policy stays as it is (no reductions, a window too short, or everything unused kept by its policy's
 * reason), explanation.md says plainly that there is nothing to apply: no "Before applying…", no apply steps.
 */
import { describe, expect, it } from 'vitest';
import { renderExplanation } from '../../src/render/explanation.js';
import { run } from '../support/pipeline.js';
import { allow, customerManaged, daysBefore, doc, inline, snapshot, tracked, usedService } from '../support/snapshots.js';

const s3 = usedService('s3', daysBefore(1), [tracked('GetObject', daysBefore(1)), tracked('CreateBucket')]);
const explain = (...args: Parameters<typeof run>) => renderExplanation(run(...args));

function expectNothingToApply(md: string): void {
  expect(md).toContain('## Nothing to apply\n\nEvery policy stays as it is: there is no command to run.\n');
  expect(md).toContain('Nothing goes in this recommendation, so that matters only for a later one that removes something.');
  expect(md).not.toMatch(/before applying|how to apply|```sh/i);
}

describe('nothing to apply', () => {
  it('no permission is proven unused', () => {
    const md = explain({ snapshot: snapshot({ policies: [inline('app', doc(allow('s3:GetObject')))], services: [s3] }) });
    expect(md).toContain('**No change: nothing to apply.** Nothing the policies grant is proven unused.');
    expectNothingToApply(md);
  });

  it('the observation window is too short', () => {
    const md = explain({ snapshot: snapshot({ policies: [inline('app', doc(allow(['s3:GetObject', 's3:CreateBucket'])))], services: [s3], createDate: daysBefore(10) }) });
    expect(md).toContain('**Observation window too short: nothing is removed.**');
    expectNothingToApply(md);
  });

  it('something is unused, but its policy is kept (sharedPolicies: keep)', () => {
    const shared = customerManaged('shared', doc(allow(['s3:GetObject', 's3:CreateBucket'])), 3);
    const md = explain({ snapshot: snapshot({ policies: [shared], services: [s3] }), config: { sharedPolicies: 'keep' } });
    expect(md).toContain('**No change: nothing to apply.** Some permissions are unused, but every policy granting them is kept (each policy below says why).');
    expectNothingToApply(md);
  });

  it('a recommendation that removes something still has its apply steps and the check before applying', () => {
    const md = explain({ snapshot: snapshot({ policies: [inline('app', doc(allow(['s3:GetObject', 's3:CreateBucket'])))], services: [s3] }) });
    expect(md).toContain('**Reductions recommended.**');
    expect(md).toContain('Before applying, check that nothing that goes was granted in the last 90 days');
    expect(md).toContain('## How to apply\n');
    expect(md).toContain('```sh\n# app: update (inline-trimmed)\naws iam put-role-policy');
    expect(md).not.toContain('Nothing to apply');
  });
});
