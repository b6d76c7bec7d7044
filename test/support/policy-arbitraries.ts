/**
 * fast-check arbitraries of policy documents and report times over the small test catalog, and the grid of requests
 * the iam-simulate oracle is asked, shared by the property tests of the whole pipeline. No pattern has a wildcard in
 * its service prefix (`*:Get*`): iam-simulate reads those literally, leastpriv as full-id globs (as IAM does), so the
 * oracle cannot judge them.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import type { PolicyDocument } from '../../src/policy/types.js';
import { decide, type Request } from '../policy/oracle.js';
import { catalog } from './snapshots.js';

export const ACTIONS = catalog.all().map((a) => a.id);
export const SERVICES = catalog.services;
const UNKNOWN = ['newsvc:DoThing', 's3:FutureFeature'];
const RESOURCES = ['arn:aws:s3:::alpha', 'arn:aws:sqs:eu-west-1:111111111111:orders'];
const CONTEXTS: Record<string, string>[] = [{}, { 'aws:SecureTransport': 'true' }];
export const REQUESTS: Request[] = [...ACTIONS, ...UNKNOWN].flatMap((action) =>
  RESOURCES.flatMap((resource) => CONTEXTS.map((context) => ({ action, resource, context }))),
);

const flipCase = (s: string, mask: number) => [...s].map((ch, i) => ((mask >> i % 16) & 1 ? ch.toUpperCase() : ch)).join('');

const patternArb = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(fc.constantFrom(...ACTIONS), fc.nat()).map(([a, m]) => flipCase(a, m)) },
  { weight: 2, arbitrary: fc.constantFrom(...SERVICES.map((s) => `${s}:*`)) },
  { weight: 2, arbitrary: fc.constantFrom('s3:Put*', 's3:*Bucket', 'ec2:?unInstances', 'sqs:*Message', 'iam:Get*') },
  { weight: 1, arbitrary: fc.constantFrom('*', ...UNKNOWN, 'newsvc:*') },
);

const statementArb = fc.record({
  Effect: fc.constantFrom('Allow', 'Allow', 'Allow', 'Deny'),
  notAction: fc.constantFrom(false, false, false, false, true),
  actions: fc.array(patternArb, { minLength: 1, maxLength: 4 }),
  resources: fc.constantFrom<string[]>(['*'], [RESOURCES[0] as string], ['arn:aws:sqs:*'], RESOURCES),
  notResource: fc.constantFrom(false, false, false, true),
  condition: fc.constantFrom(false, false, true),
});

export const docArb = fc.array(statementArb, { minLength: 1, maxLength: 3 }).map(
  (statements): PolicyDocument => ({
    Version: '2012-10-17',
    Statement: statements.map((s) => ({
      Effect: s.Effect as 'Allow' | 'Deny',
      [s.notAction ? 'NotAction' : 'Action']: s.actions,
      [s.notResource ? 'NotResource' : 'Resource']: s.resources,
      ...(s.condition ? { Condition: { Bool: { 'aws:SecureTransport': 'true' } } } : {}),
    })),
  }),
);

/** how long ago something was last used: never, long ago, or recently */
export const whenArb = fc.constantFrom<number | undefined>(undefined, 400 - 10, 150, 95, 85, 20, 1);

/**
 * Asks the oracle every request of REQUESTS against the policy set before and after: nothing is newly allowed, every
 * explicit deny stays one, and a request allowed before whose action `mustStay` names is still allowed. Counts the
 * denies and the must-stay requests it checked, so a caller can tell its generators reach them.
 */
export function expectNarrowedSafely(
  before: PolicyDocument,
  after: PolicyDocument,
  mustStay: { readonly test: (action: string) => boolean; readonly why: string },
  tally: { denied: number; keptAllowed: number },
): void {
  for (const req of REQUESTS) {
    const was = decide(before, req);
    const now = decide(after, req);
    const what = `${req.action} on ${req.resource} ${JSON.stringify(req.context)}`;
    if (now === 'Allowed') expect(was, `newly allowed: ${what}`).toBe('Allowed');
    if (was === 'ExplicitlyDenied') {
      tally.denied++;
      expect(now, `deny lifted: ${what}`).toBe('ExplicitlyDenied');
    }
    if (was === 'Allowed' && mustStay.test(req.action)) {
      tally.keptAllowed++;
      expect(now, `${mustStay.why}, no longer allowed: ${what}`).toBe('Allowed');
    }
  }
}
