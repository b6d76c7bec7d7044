/**
 * The emulator's account fixture: one AWS account described as data. Validated against
 * schemas/emulator-fixture.schema.json (see ./fixture.ts). Field names are camelCase; policy documents are plain JSON
 * objects (or JSON strings) exactly as one would write them in the console.
 */

/** An IAM policy document as written (object) or as a JSON string. */
export type FixturePolicyDocument = Record<string, unknown> | string;

export interface FixtureInlinePolicy {
  name: string;
  document: FixturePolicyDocument;
}

/** Shared by roles, users and groups. */
export interface FixturePrincipalBase {
  name: string;
  /** default "/" */
  path?: string;
  /** RoleId/UserId/GroupId; default: derived deterministically from the ARN (AROA…/AIDA…/AGPA…) */
  id?: string;
  /** ISO-8601; default: fixture `now` minus 730 days */
  createDate?: string;
  inlinePolicies?: FixtureInlinePolicy[];
  /** managed policy ARNs: customer-managed ones must be declared in `policies`, AWS-managed ones too */
  attachedPolicies?: string[];
}

export interface FixtureRole extends FixturePrincipalBase {
  description?: string;
  /** default 3600 */
  maxSessionDuration?: number;
  /** default: trust ec2.amazonaws.com */
  assumeRolePolicyDocument?: FixturePolicyDocument;
  tags?: Record<string, string>;
  permissionsBoundaryArn?: string;
}

export interface FixtureUser extends FixturePrincipalBase {
  tags?: Record<string, string>;
  permissionsBoundaryArn?: string;
  /** group names */
  groups?: string[];
}

export type FixtureGroup = FixturePrincipalBase;

export interface FixturePolicyVersion {
  /** "v1", "v2", … */
  versionId: string;
  document: FixturePolicyDocument;
  /** ISO-8601; default: the policy's createDate */
  createDate?: string;
}

/**
 * A managed policy. Customer-managed: give `name` (+ `path`), the ARN is arn:aws:iam::<account>:policy<path><name>.
 * AWS-managed: give `arn` under arn:aws:iam::aws:policy/…. Either give `versions` + `defaultVersionId`, or the
 * shorthand `document` (one version, v1, default). At most 5 versions, as IAM allows.
 */
export interface FixtureManagedPolicy {
  arn?: string;
  name?: string;
  path?: string;
  id?: string;
  description?: string;
  createDate?: string;
  updateDate?: string;
  document?: FixturePolicyDocument;
  versions?: FixturePolicyVersion[];
  defaultVersionId?: string;
  tags?: Record<string, string>;
}

/** A caller of the emulator, recognised by the access key id in the request's SigV4 Credential. */
export interface FixtureCaller {
  accessKeyId: string;
  /** e.g. arn:aws:iam::123456789012:user/auditor or arn:aws:sts::123456789012:assumed-role/Auditor/session */
  arn: string;
  /** GetCallerIdentity UserId; default derived from the ARN */
  userId?: string;
  /** operations answered with AccessDenied, as IAM actions: "iam:GetPolicyVersion", "organizations:DescribeOrganization" */
  denied?: string[];
  /** one action refused on one resource only (the ARN the AccessDenied message names), e.g. a report on one role */
  deniedOn?: FixtureResourceDenial[];
}

export interface FixtureResourceDenial {
  /** "iam:GenerateServiceLastAccessedDetails" */
  action: string;
  /** the role, user, group or policy ARN the request is about */
  resource: string;
}

/** One access attempt by a principal, the raw material of last-accessed reports. */
export interface FixtureUsageEvent {
  /** service prefix, e.g. "s3" */
  service: string;
  /** action name without prefix, e.g. "CreateBucket"; absent = the service was used, action unknown */
  action?: string;
  /** ISO-8601 */
  time: string;
  /** default "us-east-1" */
  region?: string;
}

export interface FixtureOrganizationAccount {
  id: string;
  name: string;
  email?: string;
  /** default "ACTIVE" */
  status?: 'ACTIVE' | 'SUSPENDED' | 'PENDING_CLOSURE';
  joinedTimestamp?: string;
  /** the root or OU the account sits in; default the root */
  parentId?: string;
}

/** An organizational unit: ou-<root part>-<8+ chars>, under the root or another OU. */
export interface FixtureOrganizationalUnit {
  id: string;
  name: string;
  parentId: string;
}

/**
 * A service control policy. `targets`: the root, OU and account ids it is attached to. Without a declared
 * p-FullAWSAccess the organization has AWS's default one (Allow * on *, AWS-managed) attached to the root and to
 * every OU and account that no declared SCP targets.
 */
export interface FixtureServiceControlPolicy {
  /** p-… */
  id: string;
  name: string;
  description?: string;
  /** default false */
  awsManaged?: boolean;
  content: FixturePolicyDocument;
  targets?: string[];
}

/** Organizations data (DescribeOrganization, ListRoots, ListAccounts, organizations access reports). */
export interface FixtureOrganization {
  /** o-xxxxxxxxxx */
  id: string;
  /** r-xxxx */
  rootId: string;
  /** default: the fixture's accountId */
  managementAccountId?: string;
  managementAccountEmail?: string;
  /** default "ALL" */
  featureSet?: 'ALL' | 'CONSOLIDATED_BILLING';
  organizationalUnits?: FixtureOrganizationalUnit[];
  policies?: FixtureServiceControlPolicy[];
  accounts?: FixtureOrganizationAccount[];
  /** usage per member account id, for GetOrganizationsAccessReport */
  usage?: Record<string, FixtureUsageEvent[]>;
}

/**
 * Many principals from one entry: `count` of them named `name` with `{i}` replaced by the index (0-based,
 * zero-padded to `pad` digits), each with the entry's other fields, exactly as if declared one by one.
 */
export interface FixtureTemplate {
  count: number;
  /** e.g. "app-{i}" */
  name: string;
  /** minimum digits of `{i}`, e.g. 3 → app-007; default 0 (no padding) */
  pad?: number;
}

/** roles and users may carry usage, applied to each generated principal */
export interface FixtureTemplateUsage {
  usage?: FixtureUsageEvent[];
}

export type FixtureRoleTemplate = Omit<FixtureRole, 'name' | 'id'> & FixtureTemplate & FixtureTemplateUsage;
export type FixtureUserTemplate = Omit<FixtureUser, 'name' | 'id'> & FixtureTemplate & FixtureTemplateUsage;
export type FixtureGroupTemplate = Omit<FixtureGroup, 'name' | 'id'> & FixtureTemplate;

export interface FixtureGenerate {
  roles?: FixtureRoleTemplate[];
  users?: FixtureUserTemplate[];
  groups?: FixtureGroupTemplate[];
}

/** What one account holds: the home account's top-level fields, and each member account's. */
export interface FixtureAccountContent {
  roles?: FixtureRole[];
  users?: FixtureUser[];
  groups?: FixtureGroup[];
  policies?: FixtureManagedPolicy[];
  /** principal ARN (role or user) → access attempts */
  usage?: Record<string, FixtureUsageEvent[]>;
  /** principals from templates, added after the declared ones */
  generate?: FixtureGenerate;
}

/**
 * Another account, reached with sts:AssumeRole on one of its roles (whose trust policy must allow the caller). Its
 * requests are served from its own principals and policies.
 */
export interface FixtureMemberAccount extends FixtureAccountContent {
  /** 12 digits, unlike the home account's and every other member's */
  accountId: string;
  /** operations refused (AccessDenied) to every caller who assumed a role in this account: "iam:GetAccountAuthorizationDetails" */
  denied?: string[];
}

export interface EmulatorFixture extends FixtureAccountContent {
  /** free text, ignored */
  description?: string;
  /** 12 digits */
  accountId: string;
  /** ISO-8601: the emulator's clock for CreateDate defaults, job dates and the 400-day tracking window */
  now: string;
  callers?: FixtureCaller[];
  /** who an unknown access key is; default arn:aws:iam::<account>:user/emulator-default, nothing denied */
  defaultCaller?: Omit<FixtureCaller, 'accessKeyId'>;
  organization?: FixtureOrganization;
  memberAccounts?: FixtureMemberAccount[];
}
