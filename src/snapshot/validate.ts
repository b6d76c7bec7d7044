import { Ajv, type ValidateFunction } from 'ajv';
import { isValid, parseISO } from 'date-fns';
import { inputError } from '../errors.js';
import { AJV_OPTIONS, firstAjvError } from './ajv-errors.js';
import { isAwsManagedPolicyArn, parseIamArn } from './arn.js';
import { recognizeForeignFile } from './recognize.js';
import { SNAPSHOT_SCHEMA } from './schema.js';
import { SNAPSHOT_SCHEMA_VERSION, type Snapshot } from './types.js';

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  compiled ??= new Ajv({ ...AJV_OPTIONS, discriminator: true, strictRequired: false, allowUnionTypes: true }).compile(SNAPSHOT_SCHEMA);
  return compiled;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks parsed JSON against the snapshot schema and the rules a schema cannot state (ARN matches principal type and
 * name, AWS-managed ARNs carry the `aws` account, dates exist, group sources only on users). Throws a LeastprivError
 * kind 'input' whose message is one line: `<label>: <JSONPath>: <what is wrong>`, or, for a file recognised as
 * something else (./recognize.ts), `<label> is <what it is>, not a snapshot: <what to run instead>`.
 */
export function validateSnapshot(json: unknown, label = 'snapshot'): Snapshot {
  const fail = (path: string, message: string): never => {
    throw inputError(`${label}: ${path}: ${message}`);
  };
  if (!isObject(json)) return fail('$', 'a snapshot must be a JSON object');
  // before the schema: a recommendation.json has a schemaVersion too, and its first schema error would hide what it is
  const foreign = recognizeForeignFile(json);
  if (foreign) throw inputError(`${label} is ${foreign.is}, not a snapshot: ${foreign.instead}`);
  if (!('schemaVersion' in json)) return fail('$.schemaVersion', 'is required');
  if (json['schemaVersion'] !== SNAPSHOT_SCHEMA_VERSION) {
    return fail(
      '$.schemaVersion',
      `unsupported snapshot schema version ${JSON.stringify(json['schemaVersion'])} (this leastpriv reads version ${SNAPSHOT_SCHEMA_VERSION})`,
    );
  }
  const validate = validator();
  if (!validate(json)) return fail(...splitPath(firstAjvError(validate.errors)));
  const snapshot = json as unknown as Snapshot;
  checkSemantics(snapshot, fail);
  return snapshot;
}

function splitPath(line: string): [string, string] {
  const i = line.indexOf(': ');
  return [line.slice(0, i), line.slice(i + 2)];
}

type Fail = (path: string, message: string) => never;

function checkDate(value: string | undefined, path: string, fail: Fail): void {
  if (value !== undefined && !isValid(parseISO(value))) fail(path, `${JSON.stringify(value)} is not a real date`);
}

function checkSemantics(s: Snapshot, fail: Fail): void {
  const p = s.principal;
  const arn = parseIamArn(p.Arn);
  if (!arn || arn.resourceType !== p.Type) {
    fail('$.principal.Arn', `${JSON.stringify(p.Arn)} is not an IAM ${p.Type} ARN (principal.Type is "${p.Type}")`);
  } else if (arn.name !== p.Name) {
    fail('$.principal.Arn', `${JSON.stringify(p.Arn)} names "${arn.name}" but principal.Name is "${p.Name}"`);
  }
  checkDate(p.CreateDate, '$.principal.CreateDate', fail);
  s.policies.forEach((policy, i) => {
    const at = `$.policies[${i}]`;
    if (policy.Source.Type === 'group') {
      if (p.Type !== 'user') fail(`${at}.Source`, `only a user gets policies from a group (principal is a ${p.Type})`);
      if (parseIamArn(policy.Source.GroupArn)?.resourceType !== 'group') {
        fail(`${at}.Source.GroupArn`, `${JSON.stringify(policy.Source.GroupArn)} is not an IAM group ARN`);
      }
    }
    if (policy.Kind === 'managed') {
      checkDate(policy.DefaultVersionCreateDate, `${at}.DefaultVersionCreateDate`, fail);
      if (isAwsManagedPolicyArn(policy.PolicyArn) !== (policy.ManagedBy === 'aws')) {
        fail(
          `${at}.PolicyArn`,
          `${JSON.stringify(policy.PolicyArn)} does not match ManagedBy "${policy.ManagedBy}" (AWS-managed policies live under arn:aws:iam::aws:policy/)`,
        );
      }
    }
  });
  const r = s.lastAccessed;
  checkDate(r.JobCreationDate, '$.lastAccessed.JobCreationDate', fail);
  checkDate(r.JobCompletionDate, '$.lastAccessed.JobCompletionDate', fail);
  if (parseISO(r.JobCompletionDate) < parseISO(r.JobCreationDate)) {
    fail('$.lastAccessed.JobCompletionDate', `${r.JobCompletionDate} is before JobCreationDate ${r.JobCreationDate}`);
  }
  const seen = new Set<string>();
  r.ServicesLastAccessed.forEach((svc, i) => {
    const at = `$.lastAccessed.ServicesLastAccessed[${i}]`;
    const ns = svc.ServiceNamespace.toLowerCase();
    if (seen.has(ns)) fail(`${at}.ServiceNamespace`, `service "${svc.ServiceNamespace}" is listed twice`);
    seen.add(ns);
    checkDate(svc.LastAuthenticated, `${at}.LastAuthenticated`, fail);
    svc.TrackedActionsLastAccessed?.forEach((a, j) =>
      checkDate(a.LastAccessedTime, `${at}.TrackedActionsLastAccessed[${j}].LastAccessedTime`, fail),
    );
  });
}
