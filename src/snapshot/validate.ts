import { Ajv, type ValidateFunction } from 'ajv';
import { isValid, parseISO } from 'date-fns';
import { inputError } from '../errors.js';
import { AJV_OPTIONS, ajvProblems, problemsLine } from './ajv-errors.js';
import { isAwsManagedPolicyArn, parseIamArn } from './arn.js';
import { recognizeForeignFile } from './recognize.js';
import { SNAPSHOT_SCHEMA, SNAPSHOT_V1_SCHEMA } from './schema.js';
import {
  SNAPSHOT_SCHEMA_VERSION,
  type ManagedPolicySubject,
  type OrganizationEntitySubject,
  type PrincipalSubject,
  type ScpSubject,
  type Snapshot,
  type SnapshotV1,
} from './types.js';
import { snapshotFromV1, V1_PATHS, V2_PATHS, type SnapshotPaths } from './v1.js';

const validators = new Map<number, ValidateFunction>();

function validator(version: 1 | 2): ValidateFunction {
  let v = validators.get(version);
  if (v === undefined) {
    const schema = version === 1 ? SNAPSHOT_V1_SCHEMA : SNAPSHOT_SCHEMA;
    v = new Ajv({ ...AJV_OPTIONS, discriminator: true, strictRequired: false, allowUnionTypes: true }).compile(schema);
    validators.set(version, v);
  }
  return v;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks parsed JSON against the snapshot schema (version 2, or version 1, which is then read as version 2) and the
 * rules a schema cannot state (ARN matches principal type and name, AWS-managed ARNs carry the `aws` account, dates
 * exist, group sources only on users). Every problem is found; the LeastprivError (kind 'input') says them in one
 * line: `<label>: <JSONPath>: <what is wrong>`, or `<label>: N problems: …` with the first few. A file recognised as
 * something else (./recognize.ts) is named: `<label> is <what it is>, not a snapshot: <what to run instead>`.
 */
export function validateSnapshot(json: unknown, label = 'snapshot'): Snapshot {
  return readSnapshot(json, label).snapshot;
}

/** validateSnapshot, and where the subject's and the report's fields stood in the file (its version's paths). */
export function readSnapshot(json: unknown, label = 'snapshot'): { snapshot: Snapshot; paths: SnapshotPaths } {
  const fail = (problems: readonly string[]): never => {
    throw inputError(problemsLine(label, problems));
  };
  if (!isObject(json)) return fail(['$: a snapshot must be a JSON object']);
  // before the schema: a recommendation.json has a schemaVersion too, and its first schema error would hide what it is
  const foreign = recognizeForeignFile(json);
  if (foreign) throw inputError(`${label} is ${foreign.is}, not a snapshot: ${foreign.instead}`);
  if (!('schemaVersion' in json)) return fail(['$.schemaVersion: is required']);
  const version = json['schemaVersion'];
  if (version !== SNAPSHOT_SCHEMA_VERSION && version !== 1) {
    return fail([
      `$.schemaVersion: unsupported snapshot schema version ${JSON.stringify(version)} (this leastpriv reads versions 1 and ${SNAPSHOT_SCHEMA_VERSION})`,
    ]);
  }
  const validate = validator(version);
  if (!validate(json)) return fail(ajvProblems(validate.errors));
  const snapshot = version === 1 ? snapshotFromV1(json as unknown as SnapshotV1) : (json as unknown as Snapshot);
  const paths = version === 1 ? V1_PATHS : V2_PATHS;
  const problems = semanticProblems(snapshot, paths);
  if (problems.length > 0) fail(problems);
  return { snapshot, paths };
}

type Problem = (path: string, message: string) => void;

function checkDate(value: string | undefined, path: string, problem: Problem): void {
  if (value !== undefined && !isValid(parseISO(value))) problem(path, `${JSON.stringify(value)} is not a real date`);
}

function semanticProblems(s: Snapshot, paths: SnapshotPaths): string[] {
  const problems: string[] = [];
  const problem: Problem = (path, message) => problems.push(`${path}: ${message}`);
  const subject = s.subject;
  switch (subject.Kind) {
    case 'principal':
      checkPrincipalSubject(subject, paths.subject, problem);
      break;
    case 'managed-policy':
      checkManagedPolicySubject(subject, paths.subject, problem);
      break;
    case 'scp':
    case 'organization-entity':
      checkOrganizationsSubject(subject, paths.subject, problem);
      break;
  }
  // each kind of subject has its kind of report
  const wanted = subject.Kind === 'scp' || subject.Kind === 'organization-entity' ? 'organizations-access' : 'service-last-accessed';
  if (s.report.Kind !== wanted) problem(`${paths.report}.Kind`, `a ${subject.Kind} subject needs a "${wanted}" report, not "${s.report.Kind}"`);
  checkReport(s.report, paths.report, problem);
  return problems;
}

function checkPrincipalSubject(subject: PrincipalSubject, at: string, problem: Problem): void {
  const p = subject.principal;
  const arn = parseIamArn(p.Arn);
  if (!arn || arn.resourceType !== p.Type) {
    problem(`${at}.principal.Arn`, `${JSON.stringify(p.Arn)} is not an IAM ${p.Type} ARN (principal.Type is "${p.Type}")`);
  } else if (arn.name !== p.Name) {
    problem(`${at}.principal.Arn`, `${JSON.stringify(p.Arn)} names "${arn.name}" but principal.Name is "${p.Name}"`);
  }
  checkDate(p.CreateDate, `${at}.principal.CreateDate`, problem);
  subject.policies.forEach((policy, i) => {
    const pat = `${at}.policies[${i}]`;
    if (policy.Source.Type === 'group') {
      if (p.Type !== 'user') problem(`${pat}.Source`, `only a user gets policies from a group (principal is a ${p.Type})`);
      if (parseIamArn(policy.Source.GroupArn)?.resourceType !== 'group') {
        problem(`${pat}.Source.GroupArn`, `${JSON.stringify(policy.Source.GroupArn)} is not an IAM group ARN`);
      }
    }
    if (policy.Kind === 'managed') {
      checkDate(policy.DefaultVersionCreateDate, `${pat}.DefaultVersionCreateDate`, problem);
      if (isAwsManagedPolicyArn(policy.PolicyArn) !== (policy.ManagedBy === 'aws')) {
        problem(
          `${pat}.PolicyArn`,
          `${JSON.stringify(policy.PolicyArn)} does not match ManagedBy "${policy.ManagedBy}" (AWS-managed policies live under arn:aws:iam::aws:policy/)`,
        );
      }
    }
  });
}

function checkArn(arn: string, expected: { type: 'role' | 'user' | 'group' | 'policy'; name: string }, at: string, problem: Problem): void {
  const parsed = parseIamArn(arn);
  if (!parsed || parsed.resourceType !== expected.type) problem(at, `${JSON.stringify(arn)} is not an IAM ${expected.type} ARN`);
  else if (parsed.name !== expected.name) problem(at, `${JSON.stringify(arn)} names "${parsed.name}" but the Name here is "${expected.name}"`);
}

/**
 * A managed policy and everyone it is attached to: the ARN and ManagedBy agree, one listed version is the default
 * and it is DefaultVersionId, and every attached group lists its members (their creation dates bound the window).
 */
function checkManagedPolicySubject(subject: ManagedPolicySubject, at: string, problem: Problem): void {
  const p = subject.policy;
  checkArn(p.PolicyArn, { type: 'policy', name: p.PolicyName }, `${at}.policy.PolicyArn`, problem);
  if (isAwsManagedPolicyArn(p.PolicyArn) !== (p.ManagedBy === 'aws')) {
    problem(
      `${at}.policy.PolicyArn`,
      `${JSON.stringify(p.PolicyArn)} does not match ManagedBy "${p.ManagedBy}" (AWS-managed policies live under arn:aws:iam::aws:policy/)`,
    );
  }
  for (const field of ['DefaultVersionCreateDate', 'CreateDate', 'UpdateDate'] as const) checkDate(p[field], `${at}.policy.${field}`, problem);
  // the default version's date bounds the window of a customer-managed policy: without it nothing could be proven
  if (p.ManagedBy === 'customer' && p.DefaultVersionCreateDate === undefined && !subject.versions.some((v) => v.VersionId === p.DefaultVersionId)) {
    problem(`${at}.policy.DefaultVersionCreateDate`, 'is required for a customer-managed policy whose default version is not in versions (its date bounds what the report can show)');
  }
  // every entity's creation bounds the window: one missing from the list would go unchecked
  if (p.AttachmentCount !== subject.attachedEntities.length) {
    problem(
      `${at}.attachedEntities`,
      `lists ${subject.attachedEntities.length} but policy.AttachmentCount is ${p.AttachmentCount}: every entity the policy is attached to must be listed (collect again if it changed while being read)`,
    );
  }
  const defaults = subject.versions.filter((v) => v.IsDefaultVersion);
  if (subject.versions.length > 0 && (defaults.length !== 1 || defaults[0]?.VersionId !== p.DefaultVersionId)) {
    problem(`${at}.versions`, `exactly one version must be the default, and it must be DefaultVersionId ${p.DefaultVersionId}`);
  }
  subject.versions.forEach((v, i) => checkDate(v.CreateDate, `${at}.versions[${i}].CreateDate`, problem));
  subject.attachedEntities.forEach((e, i) => {
    const eat = `${at}.attachedEntities[${i}]`;
    checkArn(e.Arn, { type: e.Type, name: e.Name }, `${eat}.Arn`, problem);
    checkDate(e.CreateDate, `${eat}.CreateDate`, problem);
    if (e.Type === 'group' && e.Members === undefined) problem(`${eat}.Members`, 'an attached group lists its Members (GetGroup), [] when it has none');
    if (e.Type !== 'group' && e.Members !== undefined) problem(`${eat}.Members`, `only a group has Members (this is a ${e.Type})`);
    e.Members?.forEach((m, j) => {
      checkArn(m.Arn, { type: 'user', name: m.Name }, `${eat}.Members[${j}].Arn`, problem);
      checkDate(m.CreateDate, `${eat}.Members[${j}].CreateDate`, problem);
    });
  });
}

/**
 * An Organizations subject: dates are real, the management account (never limited by SCPs) is not among the member
 * accounts, and every account's path lies in the organization.
 */
function checkOrganizationsSubject(subject: ScpSubject | OrganizationEntitySubject, at: string, problem: Problem): void {
  const o = subject.organization;
  const prefix = `${o.Id}/${o.RootId}`;
  subject.accounts.forEach((a, i) => {
    const aat = `${at}.accounts[${i}]`;
    checkDate(a.JoinedTimestamp, `${aat}.JoinedTimestamp`, problem);
    if (a.Id === o.ManagementAccountId) problem(`${aat}.Id`, `${a.Id} is the management account, which SCPs never limit: it is not one of the accounts`);
    if (!a.Path.startsWith(`${prefix}/`) || !a.Path.endsWith(`/${a.Id}`)) problem(`${aat}.Path`, `${JSON.stringify(a.Path)} is not the path of account ${a.Id} in ${prefix}`);
  });
  if (subject.Kind === 'organization-entity' && !subject.entity.Path.startsWith(prefix)) {
    problem(`${at}.entity.Path`, `${JSON.stringify(subject.entity.Path)} is not in organization ${prefix}`);
  }
}

function checkReport(r: Snapshot['report'], at: string, problem: Problem): void {
  checkDate(r.JobCreationDate, `${at}.JobCreationDate`, problem);
  checkDate(r.JobCompletionDate, `${at}.JobCompletionDate`, problem);
  if (parseISO(r.JobCompletionDate) < parseISO(r.JobCreationDate)) {
    problem(`${at}.JobCompletionDate`, `${r.JobCompletionDate} is before JobCreationDate ${r.JobCreationDate}`);
  }
  if (r.Kind === 'organizations-access') {
    const seenOrg = new Set<string>();
    r.AccessDetails.forEach((d, i) => {
      const dat = `${at}.AccessDetails[${i}]`;
      const ns = d.ServiceNamespace.toLowerCase();
      if (seenOrg.has(ns)) problem(`${dat}.ServiceNamespace`, `service "${d.ServiceNamespace}" is listed twice`);
      seenOrg.add(ns);
      checkDate(d.LastAuthenticatedTime, `${dat}.LastAuthenticatedTime`, problem);
    });
    return;
  }
  const seen = new Set<string>();
  r.ServicesLastAccessed.forEach((svc, i) => {
    const sat = `${at}.ServicesLastAccessed[${i}]`;
    const ns = svc.ServiceNamespace.toLowerCase();
    if (seen.has(ns)) problem(`${sat}.ServiceNamespace`, `service "${svc.ServiceNamespace}" is listed twice`);
    seen.add(ns);
    checkDate(svc.LastAuthenticated, `${sat}.LastAuthenticated`, problem);
    svc.TrackedActionsLastAccessed?.forEach((a, j) =>
      checkDate(a.LastAccessedTime, `${sat}.TrackedActionsLastAccessed[${j}].LastAccessedTime`, problem),
    );
  });
}
