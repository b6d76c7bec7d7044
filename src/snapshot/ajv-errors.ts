import type { ErrorObject } from 'ajv';

/** ajv's JSON-pointer instancePath (`/policies/0/PolicyName`) as a JSONPath a reader can follow (`$.policies[0].PolicyName`). */
export function jsonPath(instancePath: string): string {
  if (instancePath === '') return '$';
  return (
    '$' +
    instancePath
      .split('/')
      .slice(1)
      .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((seg) => (/^\d+$/.test(seg) ? `[${seg}]` : /^[A-Za-z_$][\w$]*$/.test(seg) ? `.${seg}` : `[${JSON.stringify(seg)}]`))
      .join('')
  );
}

/** Hints for patterns whose regex would mean nothing to a reader, keyed by the schema definition that holds them. */
const PATTERN_HINTS: ReadonlyArray<readonly [string, string]> = [
  ['principalArn', 'is not a valid IAM role, user or group ARN (arn:aws:iam::<12-digit account>:role/<name>)'],
  ['policyArn', 'is not a valid IAM policy ARN (arn:aws:iam::<account>|aws:policy/<name>)'],
  ['isoDate', 'is not an ISO-8601 date-time with a time zone (e.g. 2026-11-20T10:00:00Z)'],
  ['/name/', 'is not a valid IAM name (1-128 of letters, digits and +=,.@_-)'],
];

/** The tag values a tagged union allows, read from its members (ajv's error names only the tag; `verbose` gives the schema). */
function tagValues(err: ErrorObject, tag: string): string[] {
  const members = (err.parentSchema as { oneOf?: { properties?: Record<string, { const?: unknown }> }[] } | undefined)?.oneOf ?? [];
  return members.map((m) => m.properties?.[tag]?.const).filter((v): v is string => typeof v === 'string');
}

function describe(err: ErrorObject): { path: string; message: string } {
  const path = jsonPath(err.instancePath);
  const params = err.params as Record<string, unknown>;
  switch (err.keyword) {
    case 'additionalProperty':
    case 'additionalProperties':
      return { path: `${path}.${String(params['additionalProperty'])}`, message: 'is not a known field' };
    case 'required':
      return { path: `${path}.${String(params['missingProperty'])}`, message: 'is required' };
    case 'enum':
      return {
        path,
        message: `must be one of ${(params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
      };
    case 'discriminator': {
      const tag = String(params['tag']);
      const allowed = tagValues(err, tag);
      return {
        path: `${path}.${tag}`,
        message: allowed.length > 0
          ? `must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`
          : `${JSON.stringify(params['tagValue'])} is not a known ${tag}`,
      };
    }
    case 'const':
      return { path, message: `must be ${JSON.stringify(params['allowedValue'])}` };
    case 'pattern': {
      const hint = PATTERN_HINTS.find(([def]) => err.schemaPath.includes(def.startsWith('/') ? def : `/${def}/`));
      const value = JSON.stringify(err.data);
      return { path, message: `${value} ${hint ? hint[1] : `must match ${String(params['pattern'])}`}` };
    }
    default:
      return { path, message: err.message ?? 'is invalid' };
  }
}

/** Options every leastpriv ajv instance uses: `verbose` puts the offending value in errors, so messages can quote it. */
export const AJV_OPTIONS = { verbose: true, strict: true, allErrors: true } as const;

/**
 * Every problem ajv found, one `<JSONPath>: <what is wrong>` each, in document order. A union's or a parent's
 * summary error ("must match a schema in oneOf", a type error above a deeper one) says less than the deeper errors
 * it stands for: an error whose path is a parent of another error's path is left out, and repeats are said once.
 */
export function ajvProblems(errors: readonly ErrorObject[] | null | undefined): string[] {
  if (!errors || errors.length === 0) return ['$: is invalid'];
  const paths = errors.map((e) => e.instancePath);
  const deepest = errors.filter((e) => !paths.some((p) => p !== e.instancePath && p.startsWith(`${e.instancePath}/`)));
  const lines = deepest.map((e) => {
    const { path, message } = describe(e);
    return `${path}: ${message}`;
  });
  return [...new Set(lines)];
}

/** How many problems one error line names before it says how many more there are. */
export const PROBLEMS_SHOWN = 3;

/** One line for a list of problems: the problem itself when there is one, else a count and the first few. */
export function problemsLine(label: string, problems: readonly string[]): string {
  if (problems.length === 1) return `${label}: ${problems[0] ?? ''}`;
  const shown = problems.slice(0, PROBLEMS_SHOWN).join('; ');
  const more = problems.length - PROBLEMS_SHOWN;
  return `${label}: ${problems.length} problems: ${shown}${more > 0 ? `; and ${more} more` : ''}`;
}
