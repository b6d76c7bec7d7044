import { Ajv, type ErrorObject } from 'ajv';
import { POLICY_SCHEMA } from './schema.js';
import type {
  NormalizedPolicy,
  NormalizedStatement,
  ParseResult,
  PolicyProblem,
  PolicyStatementJson,
  PolicyVersion,
} from './types.js';

// Compiled once per process: ajv code generation costs a few ms, validation afterwards is microseconds.
const validate = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true }).compile(POLICY_SCHEMA);

/**
 * Parses an identity-policy document the way IAM accepts it: an object, a JSON string, or the URL-encoded JSON string
 * IAM's API returns. Every problem is collected (ajv `allErrors`) and named by its place, e.g. `Statement[2].Action`.
 * A missing Version is IAM's default, 2008-10-17, and is printed explicitly afterwards (same meaning).
 */
export function parsePolicy(input: unknown): ParseResult {
  const decoded = decodeInput(input);
  if (decoded.kind === 'problem') return { ok: false, problems: [decoded.problem] };
  const doc = decoded.value;
  if (!validate(doc)) return { ok: false, problems: describeErrors(validate.errors ?? [], doc) };
  return { ok: true, policy: normalise(doc as RawPolicy) };
}

type Decoded = { kind: 'value'; value: unknown } | { kind: 'problem'; problem: PolicyProblem };

function decodeInput(input: unknown): Decoded {
  if (typeof input !== 'string') return { kind: 'value', value: input };
  const text = input.trim();
  const direct = tryJson(text);
  if (direct.kind === 'value' || !text.includes('%')) return direct;
  // IAM returns documents percent-encoded (RFC 3986); some tools form-encode spaces as '+', so try that second.
  let unescaped: string;
  try {
    unescaped = decodeURIComponent(text);
  } catch {
    return documentProblem('is neither JSON nor valid URL-encoded JSON (bad percent-escape)');
  }
  const viaUrl = tryJson(unescaped);
  if (viaUrl.kind === 'value' || !text.includes('+')) return viaUrl;
  const viaForm = tryJson(decodeURIComponent(text.replace(/\+/g, '%20')));
  return viaForm.kind === 'value' ? viaForm : viaUrl;
}

function tryJson(text: string): Decoded {
  try {
    return { kind: 'value', value: JSON.parse(text) as unknown };
  } catch (e) {
    return documentProblem(`is not valid JSON: ${(e as Error).message}`);
  }
}

const DOCUMENT_PATH = '(document)';

function documentProblem(message: string): Decoded {
  return { kind: 'problem', problem: { path: DOCUMENT_PATH, message: `policy document ${message}` } };
}

// ---- ajv errors → problems that name their place ----

function describeErrors(errors: readonly ErrorObject[], doc: unknown): PolicyProblem[] {
  const statementIsList = Array.isArray((doc as { Statement?: unknown } | null)?.Statement);
  // a value of the wrong type makes every other keyword at that place noise ("needs Action" on a number)
  const typeErrorAt = new Set(errors.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  const problems: PolicyProblem[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    const described = describeError(error, typeErrorAt);
    if (!described) continue;
    const segments = described.segments;
    const key = `${segments.join('/')}\u0000${described.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const statementIndex = statementIndexOf(segments, statementIsList);
    problems.push({
      path: formatPath(segments),
      message: described.message,
      ...(statementIndex === undefined ? {} : { statementIndex }),
    });
  }
  return problems;
}

interface Described {
  segments: string[];
  message: string;
}

function describeError(error: ErrorObject, typeErrorAt: ReadonlySet<string>): Described | undefined {
  const at = instanceSegments(error.instancePath);
  if (error.keyword !== 'type' && typeErrorAt.has(error.instancePath)) return undefined;
  // 'if' only says "the then-branch failed"; the branch's own errors follow
  if (error.keyword === 'if') return undefined;
  const choice = /\/definitions\/(action|resource)Choice\//.exec(error.schemaPath);
  if (choice) {
    if (error.keyword !== 'oneOf') return undefined; // the per-branch 'required' errors
    const [field, notField] = choice[1] === 'action' ? ['Action', 'NotAction'] : ['Resource', 'NotResource'];
    const both = Array.isArray((error.params as { passingSchemas?: unknown }).passingSchemas);
    const message = both
      ? `has both ${field} and ${notField}; a statement uses exactly one of them`
      : `needs ${field} or ${notField}` +
        (field === 'Resource' ? ' (identity policies always name the resources they apply to)' : '');
    return { segments: at, message };
  }
  switch (error.keyword) {
    case 'additionalProperties': {
      const prop = String((error.params as { additionalProperty: string }).additionalProperty);
      const message =
        prop === 'Principal' || prop === 'NotPrincipal'
          ? `${prop} belongs to resource-based policies and is not allowed in an identity policy`
          : `unknown field ${JSON.stringify(prop)}`;
      return { segments: [...at, prop], message };
    }
    case 'required': {
      const prop = String((error.params as { missingProperty: string }).missingProperty);
      return { segments: [...at, prop], message: 'is missing' };
    }
    case 'enum': {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v));
      return { segments: at, message: `must be one of ${allowed.join(', ')}` };
    }
    case 'pattern':
      return { segments: at, message: 'must be "*" or "service:action" (wildcards * and ? allowed on either side)' };
    case 'minItems':
      return { segments: at, message: 'must not be an empty list' };
    case 'minLength':
      return { segments: at, message: 'must not be an empty string' };
    case 'type': {
      const types = [(error.params as { type: string | string[] }).type].flat();
      return { segments: at, message: `must be ${types.map(typeName).join(' or ')}` };
    }
    default:
      return { segments: at, message: error.message ?? `fails schema rule ${error.keyword}` };
  }
}

function typeName(t: string): string {
  return t === 'array' ? 'a list' : t === 'object' ? 'an object' : `a ${t}`;
}

function instanceSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function formatPath(segments: readonly string[]): string {
  if (segments.length === 0) return DOCUMENT_PATH;
  let out = '';
  for (const s of segments) {
    if (/^\d+$/.test(s)) out += `[${s}]`;
    else out += out === '' ? s : `.${s}`;
  }
  return out;
}

function statementIndexOf(segments: readonly string[], statementIsList: boolean): number | undefined {
  if (segments[0] !== 'Statement') return undefined;
  if (!statementIsList) return segments.length > 1 ? 0 : undefined;
  const index = segments[1];
  return index !== undefined && /^\d+$/.test(index) ? Number(index) : undefined;
}

// ---- normalisation (input already valid) ----

// the same fields as the printed shape; valid input differs only in Version (optional) and Statement (object or list)
type RawStatement = PolicyStatementJson;

interface RawPolicy {
  Version?: PolicyVersion;
  Id?: string;
  Statement: RawStatement | RawStatement[];
}

function normalise(doc: RawPolicy): NormalizedPolicy {
  const raw = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  return {
    Version: doc.Version ?? '2008-10-17',
    ...(doc.Id === undefined ? {} : { Id: doc.Id }),
    statements: raw.map(normaliseStatement),
  };
}

function normaliseStatement(s: RawStatement, index: number): NormalizedStatement {
  // the schema guarantees exactly one of each pair is present
  const actionKind = s.Action !== undefined ? 'Action' : 'NotAction';
  const actionValue = (s.Action ?? s.NotAction) as string | string[];
  const resourceKind = s.Resource !== undefined ? 'Resource' : 'NotResource';
  const resourceValue = (s.Resource ?? s.NotResource) as string | string[];
  return {
    index,
    ...(s.Sid === undefined ? {} : { Sid: s.Sid }),
    Effect: s.Effect,
    actionKind,
    actions: [actionValue].flat(),
    resourceKind,
    resources: [resourceValue].flat(),
    ...(s.Condition === undefined ? {} : { Condition: s.Condition }),
    actionWasString: typeof actionValue === 'string',
    resourceWasString: typeof resourceValue === 'string',
  };
}

/** One line per problem, for error messages: `Statement[2].Action: must not be an empty list`. */
export function formatProblem(problem: PolicyProblem): string {
  return `${problem.path}: ${problem.message}`;
}
