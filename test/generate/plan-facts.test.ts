/**
 * A plan carries its reason and the facts it rests on, not sentences: the renderer alone words them. Checked on the
 * generator's own output (generate()), then that the renderer's sentence is built from those facts.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze/analyze.js';
import { resolveConfig } from '../../src/analyze/config.js';
import { generate } from '../../src/generate/generate.js';
import { planWhy } from '../../src/render/plan-why.js';
import { validateSnapshot } from '../../src/snapshot/validate.js';
import { ACCOUNT, allow, awsManaged, catalog, customerManaged, daysBefore, doc, inline, snapshot, tracked, usedService, type SnapshotOptions } from '../support/snapshots.js';

const services = [usedService('s3', daysBefore(1), [tracked('CreateBucket', daysBefore(1)), tracked('DeleteBucket')])];
const grants = doc(allow(['s3:CreateBucket', 's3:DeleteBucket']));

function plans(o: SnapshotOptions) {
  const analysis = analyze({ snapshot: validateSnapshot(snapshot(o)), catalog, config: resolveConfig(undefined, {}), label: 'test' });
  return generate({ analysis, catalog }).plans;
}

describe('plan facts', () => {
  it('a shared customer-managed policy: replaced, with how it is shared and how many parts', () => {
    const [plan] = plans({ policies: [customerManaged('common', grants, 3)], services });
    expect(plan?.facts).toEqual({ reason: 'shared-policy-replaced', shared: { kind: 'attached-elsewhere', attachmentCount: 3, policyArn: `arn:aws:iam::${ACCOUNT}:policy/common` }, parts: 1, denyOnly: false, held: { actions: 0, statements: 0 } });
    expect(plan?.reason).toBe(plan?.facts.reason);
    expect(planWhy(plan!.facts)).toMatch(/^Attached to 3 principals, so it is not narrowed in place/);
    // the better alternative: the policy's own report trims it for everyone at once
    expect(planWhy(plan!.facts)).toContain(`leastpriv recommend --policy-arn arn:aws:iam::${ACCOUNT}:policy/common`);
  });

  it('an AWS-managed policy names the original its copy no longer follows', () => {
    const [plan] = plans({ policies: [awsManaged('AmazonS3FullAccess', grants)], services });
    expect(plan?.facts).toMatchObject({ reason: 'aws-managed-replaced', policyName: 'AmazonS3FullAccess', parts: 1 });
    expect(planWhy(plan!.facts)).toContain("AWS's updates to AmazonS3FullAccess");
  });

  it('a window too short keeps every policy with the window in numbers', () => {
    const [plan] = plans({ policies: [inline('p', grants)], services, createDate: daysBefore(10) });
    expect(plan?.facts).toMatchObject({ reason: 'observation-window-too-short', coveredDays: 10, thresholdDays: 90 });
  });

  it('an inline policy trimmed, and one with nothing unused', () => {
    expect(plans({ policies: [inline('p', grants)], services })[0]?.facts).toEqual({ reason: 'inline-trimmed', denyOnly: false, held: { actions: 0, statements: 0 } });
    const onlyUsed = doc(allow('s3:CreateBucket'));
    expect(plans({ policies: [inline('p', onlyUsed)], services })[0]?.facts).toEqual({ reason: 'nothing-removed', because: 'none-unused', held: { actions: 0, statements: 0 } });
  });
});
