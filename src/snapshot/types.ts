/**
 * The snapshot: the seam between the collector and the analysis. It keeps AWS API field names and raw shapes so
 * every decision traces back to a field a reviewer can look up in the AWS docs. Dates are ISO-8601 strings (the SDK's
 * Date objects serialised with toISOString()). Hand-written snapshots are first-class input.
 * The JSON Schema is schemas/snapshot.schema.json; bump SNAPSHOT_SCHEMA_VERSION on any incompatible change.
 */
export const SNAPSHOT_SCHEMA_VERSION = 1 as const;

export const PRINCIPAL_TYPES = ['role', 'user', 'group'] as const;
export type PrincipalType = (typeof PRINCIPAL_TYPES)[number];

export interface SnapshotTag {
  Key: string;
  Value: string;
}

export interface SnapshotPrincipal {
  Type: PrincipalType;
  Arn: string;
  /** RoleName / UserName / GroupName */
  Name: string;
  Path: string;
  /** ISO-8601 */
  CreateDate: string;
  /** RoleId / UserId / GroupId when collected */
  Id?: string;
  Tags?: SnapshotTag[];
  /** PermissionsBoundary.PermissionsBoundaryArn; a boundary is not a grant and is never trimmed */
  PermissionsBoundaryArn?: string;
}

/**
 * A policy document as stored: the decoded JSON object, or the string IAM returned (JSON or URL-encoded JSON).
 * The policy engine's parsePolicy accepts all three.
 */
export type SnapshotPolicyDocument = Record<string, unknown> | string;

/** Where a policy applies from: the principal itself, or (for a user) one of its groups. */
export type PolicySource = { Type: 'principal' } | { Type: 'group'; GroupName: string; GroupArn: string };
/** The discriminants of PolicySource and SnapshotPolicy, for the schemas and their error messages. */
export const POLICY_SOURCE_TYPES = ['principal', 'group'] as const satisfies readonly PolicySource['Type'][];
export const POLICY_KINDS = ['inline', 'managed'] as const satisfies readonly SnapshotPolicy['Kind'][];

/** AWS-managed policies have ARNs under arn:aws:iam::aws:policy/ and cannot be edited */
export const MANAGED_BY = ['customer', 'aws'] as const;
export type ManagedBy = (typeof MANAGED_BY)[number];

export type SnapshotPolicy =
  | {
      Kind: 'inline';
      PolicyName: string;
      PolicyDocument: SnapshotPolicyDocument;
      Source: PolicySource;
    }
  | {
      Kind: 'managed';
      ManagedBy: ManagedBy;
      PolicyArn: string;
      PolicyName: string;
      Path?: string;
      /** GetPolicy's AttachmentCount: how many principals the policy is attached to in the account */
      AttachmentCount: number;
      /** GetPolicy's PermissionsBoundaryUsageCount: principals using it as their boundary (not in AttachmentCount) */
      PermissionsBoundaryUsageCount?: number;
      DefaultVersionId: string;
      /**
       * GetPolicyVersion's PolicyVersion.CreateDate of the default version (ISO-8601): since when the permissions it
       * grants exist in this form. A customer-managed version younger than the threshold cannot prove its permissions
       * unused (they may be newly granted). Absent in older or hand-written snapshots: not checked then.
       */
      DefaultVersionCreateDate?: string;
      /** the default version's Document (GetPolicyVersion) */
      PolicyDocument: SnapshotPolicyDocument;
      Source: PolicySource;
    };

/** The permissions boundary's policy, kept for the record and the explanation; never trimmed, never a grant. */
export interface SnapshotBoundary {
  PolicyArn: string;
  PolicyName: string;
  DefaultVersionId?: string;
  PolicyDocument?: SnapshotPolicyDocument;
}

/** GetServiceLastAccessedDetails → TrackedActionsLastAccessed[] item, as the API returns it. */
export interface TrackedActionLastAccessed {
  ActionName?: string;
  LastAccessedEntity?: string;
  LastAccessedTime?: string;
  LastAccessedRegion?: string;
}

/** GetServiceLastAccessedDetails → ServicesLastAccessed[] item, as the API returns it. */
export interface ServiceLastAccessed {
  ServiceName: string;
  ServiceNamespace: string;
  LastAuthenticated?: string;
  LastAuthenticatedEntity?: string;
  LastAuthenticatedRegion?: string;
  TotalAuthenticatedEntities?: number;
  TrackedActionsLastAccessed?: TrackedActionLastAccessed[];
}

/** GetServiceLastAccessedDetailsWithEntities → EntityDetailsList[] item (policy and group reports). */
export interface EntityDetails {
  EntityInfo: { Arn: string; Name: string; Type: 'USER' | 'ROLE' | 'GROUP'; Id: string; Path?: string };
  LastAuthenticated?: string;
}

/** The GetServiceLastAccessedDetails result with every Marker page merged. */
export interface LastAccessedReport {
  JobId?: string;
  JobType: 'ACTION_LEVEL' | 'SERVICE_LEVEL';
  JobStatus: 'COMPLETED';
  JobCreationDate: string;
  JobCompletionDate: string;
  ServicesLastAccessed: ServiceLastAccessed[];
  /** for group and policy reports: ServiceNamespace → the entities behind it */
  EntityDetails?: Record<string, EntityDetails[]>;
}

export interface CollectionMetadata {
  /** 'aws' when read by the collector, 'hand-written' for fixtures and examples */
  Source: 'aws' | 'hand-written';
  Region?: string;
  ToolVersion: string;
  CatalogVersion: string;
  /** API calls made and access gaps met while collecting */
  ApiCalls?: number;
}

export interface Snapshot {
  schemaVersion: typeof SNAPSHOT_SCHEMA_VERSION;
  principal: SnapshotPrincipal;
  policies: SnapshotPolicy[];
  permissionsBoundary?: SnapshotBoundary;
  lastAccessed: LastAccessedReport;
  collection: CollectionMetadata;
}
