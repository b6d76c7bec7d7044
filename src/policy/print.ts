import type { NormalizedPolicy, NormalizedStatement, PolicyDocument, PolicyStatementJson } from './types.js';

/**
 * AWS's JSON shape of a normalised policy. A list the input wrote as a single string prints as a string again, so an
 * untouched statement prints as it came in; statements the engine builds set the flag for single-value lists, which
 * unwraps them the way AWS prints them.
 */
export function toPolicyDocument(policy: NormalizedPolicy): PolicyDocument {
  return {
    Version: policy.Version,
    ...(policy.Id === undefined ? {} : { Id: policy.Id }),
    Statement: policy.statements.map(toStatementJson),
  };
}

export function toStatementJson(s: NormalizedStatement): PolicyStatementJson {
  const actions = s.actionWasString && s.actions.length === 1 ? (s.actions[0] as string) : [...s.actions];
  const resources = s.resourceWasString && s.resources.length === 1 ? (s.resources[0] as string) : [...s.resources];
  return orderStatement({
    ...(s.Sid === undefined ? {} : { Sid: s.Sid }),
    Effect: s.Effect,
    [s.actionKind]: actions,
    [s.resourceKind]: resources,
    ...(s.Condition === undefined ? {} : { Condition: s.Condition }),
  });
}

const STATEMENT_KEYS = ['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'] as const;

function orderStatement(s: PolicyStatementJson): PolicyStatementJson {
  const out: Record<string, unknown> = {};
  for (const key of STATEMENT_KEYS) if (s[key] !== undefined) out[key] = s[key];
  return out as unknown as PolicyStatementJson;
}

/**
 * Deterministic text: 2-space JSON, keys in AWS's customary order (Version, Id, Statement; Sid, Effect,
 * Action|NotAction, Resource|NotResource, Condition), Condition carried verbatim, trailing newline.
 */
export function stringifyPolicy(doc: PolicyDocument): string {
  const ordered = {
    Version: doc.Version,
    ...(doc.Id === undefined ? {} : { Id: doc.Id }),
    Statement: doc.Statement.map(orderStatement),
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}
