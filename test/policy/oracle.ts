/**
 * iam-simulate (AGPL, tests only) as an independent oracle of what a policy document allows. The unsafe entry point
 * skips iam-data validation of actions/resources, which is what we want: requests for actions newer than the catalog
 * must be evaluable too, and it is synchronous and ~0.2 ms a call.
 */
import { runUnsafeSimulation } from '@cloud-copilot/iam-simulate';
import type { PolicyDocument } from '../../src/policy/types.js';

export const ACCOUNT = '111111111111';

export interface Request {
  action: string;
  resource: string;
  context: Record<string, string>;
}

export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

export function decide(doc: PolicyDocument, request: Request): Decision {
  const result = runUnsafeSimulation(
    {
      request: {
        principal: `arn:aws:iam::${ACCOUNT}:user/alice`,
        action: request.action,
        resource: { resource: request.resource, accountId: ACCOUNT },
        contextVariables: request.context,
      },
      identityPolicies: [{ name: 'policy', policy: doc }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );
  if (result !== 'Allowed' && result !== 'ExplicitlyDenied' && result !== 'ImplicitlyDenied') {
    throw new Error(`unexpected simulator answer ${JSON.stringify(result)}`);
  }
  return result;
}

export const describeRequest = (r: Request): string => `${r.action} on ${r.resource} with ${JSON.stringify(r.context)}`;
