/**
 * Whether a role's trust policy lets a caller assume it: a small model of the cases a collector meets. An Allow
 * statement for sts:AssumeRole whose Principal AWS is the caller's ARN, its account's root ARN, its bare account id
 * or "*" allows, when its Condition is absent or only StringEquals sts:ExternalId matching the ExternalId given; any
 * other condition makes the statement allow nothing (the emulator does not evaluate it). A Deny statement naming the
 * caller and the action refuses whatever its condition.
 */
export interface TrustRequest {
  callerArn: string;
  callerAccount: string;
  externalId: string | undefined;
}

type Statement = { Effect?: unknown; Action?: unknown; Principal?: unknown; Condition?: unknown };

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

function statementsOf(text: string): Statement[] {
  try {
    const doc = JSON.parse(text) as { Statement?: unknown };
    return list(doc.Statement).filter((s): s is Statement => typeof s === 'object' && s !== null);
  } catch {
    return [];
  }
}

function namesAssumeRole(s: Statement): boolean {
  return list(s.Action).some((a) => typeof a === 'string' && ['sts:assumerole', 'sts:*', '*'].includes(a.toLowerCase()));
}

function namesCaller(s: Statement, req: TrustRequest): boolean {
  if (s.Principal === '*') return true;
  if (typeof s.Principal !== 'object' || s.Principal === null) return false;
  const accepted = new Set([req.callerArn, `arn:aws:iam::${req.callerAccount}:root`, req.callerAccount, '*']);
  return list((s.Principal as { AWS?: unknown }).AWS).some((p) => typeof p === 'string' && accepted.has(p));
}

function conditionHolds(s: Statement, req: TrustRequest): boolean {
  if (s.Condition === undefined) return true;
  const operators = Object.entries(s.Condition as Record<string, unknown>);
  if (operators.length !== 1 || operators[0]?.[0] !== 'StringEquals') return false;
  const keys = Object.entries(operators[0][1] as Record<string, unknown>);
  if (keys.length !== 1 || keys[0]?.[0].toLowerCase() !== 'sts:externalid') return false;
  return req.externalId !== undefined && list(keys[0][1]).includes(req.externalId);
}

export function trustAllows(trustText: string, req: TrustRequest): boolean {
  const relevant = statementsOf(trustText).filter((s) => namesAssumeRole(s) && namesCaller(s, req));
  if (relevant.some((s) => s.Effect === 'Deny')) return false;
  return relevant.some((s) => s.Effect === 'Allow' && conditionHolds(s, req));
}
