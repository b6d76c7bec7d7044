/**
 * The snapshot: the seam between the collector and the analysis. It keeps AWS API field names and raw shapes so
 * every decision traces back to a field a reviewer can look up in the AWS docs. Dates are ISO-8601 strings (the SDK's
 * Date objects serialised with toISOString()). Hand-written snapshots are first-class input.
 *
 * Every type here is derived from the schema in ./schema.ts, so the JSON Schema and the types cannot drift; bump
 * SNAPSHOT_SCHEMA_VERSION on any incompatible change and give the old version a reader (./v1.ts).
 */
import type {
  AccessDetailT,
  AttachedEntityT,
  OrgAccountT,
  ScpT,
  ScpTargetT,
  CollectionT,
  GroupMemberT,
  PolicyVersionT,
  SubjectPolicyT,
  EntityDetailsT,
  LastAccessedReportT,
  ServiceT,
  SnapshotBoundaryT,
  SnapshotPolicyT,
  SnapshotPrincipalT,
  SnapshotV1,
  SnapshotV2,
  SubjectReportT,
  SubjectT,
  TrackedActionT,
} from './schema.js';

export {
  ENTITY_TYPES,
  ORG_TARGET_TYPES,
  MANAGED_BY,
  POLICY_KINDS,
  POLICY_SOURCE_TYPES,
  PRINCIPAL_TYPES,
  REPORT_KINDS,
  SNAPSHOT_SCHEMA_VERSION,
  SUBJECT_KINDS,
} from './schema.js';

/** A snapshot as the analysis reads it (version 2): the subject, its report, how it was collected. */
export type Snapshot = SnapshotV2;
/** A version-1 file: one principal, its policies and report at the top level. Read through ./v1.ts. */
export type { SnapshotV1 };

/** What one recommendation is about. `principal`: a role, user or group with every policy that applies to it. */
export type Subject = SubjectT;
export type PrincipalSubject = Extract<Subject, { Kind: 'principal' }>;
/** `managed-policy`: a managed policy (GetPolicy, its default version), its versions and everyone it is attached to. */
export type ManagedPolicySubject = Extract<Subject, { Kind: 'managed-policy' }>;
export type SubjectPolicy = SubjectPolicyT;
export type ManagedPolicyVersion = PolicyVersionT;
/** A role, user or group a managed policy is attached to; groups list their Members. */
export type AttachedEntity = AttachedEntityT;
export type GroupMember = GroupMemberT;
/** `scp`: a service control policy and the member accounts it applies to. */
export type ScpSubject = Extract<Subject, { Kind: 'scp' }>;
/** `organization-entity`: a root, OU or account and the member accounts below it. */
export type OrganizationEntitySubject = Extract<Subject, { Kind: 'organization-entity' }>;
export type OrgAccount = OrgAccountT;
export type Scp = ScpT;
export type ScpTarget = ScpTargetT;
/** GetOrganizationsAccessReport → AccessDetails[] item. */
export type AccessDetail = AccessDetailT;
export type ServiceReport = Extract<SubjectReport, { Kind: 'service-last-accessed' }>;
export type OrganizationsReport = Extract<SubjectReport, { Kind: 'organizations-access' }>;
/** The subject's report: for principals, GetServiceLastAccessedDetails (ACTION_LEVEL) with its pages merged. */
export type SubjectReport = SubjectReportT;

export type PrincipalType = SnapshotPrincipalT['Type'];
/** Type, Arn, Name (RoleName / UserName / GroupName), Path, CreateDate; Id, Tags, PermissionsBoundaryArn when known */
export type SnapshotPrincipal = SnapshotPrincipalT;
export type SnapshotTag = NonNullable<SnapshotPrincipal['Tags']>[number];

/**
 * An identity policy of the principal. `managed`: AttachmentCount is GetPolicy's (how many principals it is attached
 * to); DefaultVersionCreateDate dates the default version (a customer-managed version younger than the threshold
 * cannot prove its permissions unused); AWS-managed policies live under arn:aws:iam::aws:policy/ and cannot be edited.
 */
export type SnapshotPolicy = SnapshotPolicyT;
/** The decoded JSON object, or the string IAM returned (JSON or URL-encoded JSON); parsePolicy accepts all three. */
export type SnapshotPolicyDocument = SnapshotPolicy['PolicyDocument'];
/** Where a policy applies from: the principal itself, or (for a user) one of its groups. */
export type PolicySource = SnapshotPolicy['Source'];
export type ManagedBy = Extract<SnapshotPolicy, { Kind: 'managed' }>['ManagedBy'];
/** The permissions boundary's policy, kept for the record and the explanation; never trimmed, never a grant. */
export type SnapshotBoundary = SnapshotBoundaryT;

/** GetServiceLastAccessedDetails → TrackedActionsLastAccessed[] item, as the API returns it. */
export type TrackedActionLastAccessed = TrackedActionT;
/** GetServiceLastAccessedDetails → ServicesLastAccessed[] item, as the API returns it. */
export type ServiceLastAccessed = ServiceT;
/** GetServiceLastAccessedDetailsWithEntities → EntityDetailsList[] item (policy and group reports). */
export type EntityDetails = EntityDetailsT;
/** The GetServiceLastAccessedDetails result with every Marker page merged; EntityDetails: namespace → entities. */
export type LastAccessedReport = LastAccessedReportT;
/** Source 'aws' when read by the collector, 'hand-written' for fixtures and examples. */
export type CollectionMetadata = CollectionT;
