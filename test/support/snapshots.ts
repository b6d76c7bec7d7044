/**
 * Builders for hand-written snapshots in the real API shapes, and a small catalog, shared by the recommend tests.
 */
import { buildCatalog, type Catalog } from '../../src/catalog/catalog.js';
import type {
  AttachedEntity,
  EntityDetails,
  GroupMember,
  ManagedBy,
  ManagedPolicyVersion,
  ServiceLastAccessed,
  Snapshot,
  SnapshotPolicy,
  TrackedActionLastAccessed,
} from '../../src/snapshot/types.js';
import type { Recommendation } from '../../src/render/recommendation.js';

export const ACCOUNT = '123456789012';
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/app`;
/** reference time of every report built here */
export const T = '2026-11-20T12:00:00.000Z';
export const daysBefore = (days: number): string => new Date(Date.parse(T) - days * 86_400_000).toISOString();

/** the test catalog was built 19 days before T: recent enough that no report here finds it old */
export const CATALOG_UPDATED_AT = '2026-11-01T00:00:00.000Z';

export const catalog: Catalog = buildCatalog({ version: 'test-catalog', updatedAt: CATALOG_UPDATED_AT, services: [
  {
    prefix: 's3',
    name: 'Amazon S3',
    actions: [
      { name: 'CreateBucket', accessLevel: 'Write' },
      { name: 'DeleteBucket', accessLevel: 'Write' },
      { name: 'GetObject', accessLevel: 'Read' },
      { name: 'ListBucket', accessLevel: 'List' },
      { name: 'PutBucketPolicy', accessLevel: 'Permissions management' },
      { name: 'PutObject', accessLevel: 'Write' },
    ],
  },
  {
    prefix: 'ec2',
    name: 'Amazon EC2',
    actions: [
      { name: 'DescribeInstances', accessLevel: 'List' },
      { name: 'RunInstances', accessLevel: 'Write' },
      { name: 'TerminateInstances', accessLevel: 'Write' },
    ],
  },
  {
    prefix: 'iam',
    name: 'AWS Identity and Access Management',
    actions: [
      { name: 'CreateRole', accessLevel: 'Write' },
      { name: 'GetRole', accessLevel: 'Read' },
      { name: 'PassRole', accessLevel: 'Write' },
    ],
  },
  {
    prefix: 'sqs',
    name: 'Amazon SQS',
    actions: [
      { name: 'DeleteMessage', accessLevel: 'Write' },
      { name: 'PurgeQueue', accessLevel: 'Write' },
      { name: 'ReceiveMessage', accessLevel: 'Read' },
      { name: 'SendMessage', accessLevel: 'Write' },
    ],
  },
  {
    prefix: 'kms',
    name: 'AWS Key Management Service',
    actions: [
      { name: 'Decrypt', accessLevel: 'Write' },
      { name: 'Encrypt', accessLevel: 'Write' },
    ],
  },
] });

// ---- report entries, shaped as GetServiceLastAccessedDetails returns them ----

/** an unused service: only ServiceName, ServiceNamespace and TotalAuthenticatedEntities 0 */
export const unusedService = (ns: string): ServiceLastAccessed => ({
  ServiceName: catalog.serviceName(ns),
  ServiceNamespace: ns,
  TotalAuthenticatedEntities: 0,
});

export const usedService = (ns: string, lastAuthenticated: string, tracked?: TrackedActionLastAccessed[]): ServiceLastAccessed => ({
  ServiceName: catalog.serviceName(ns),
  ServiceNamespace: ns,
  LastAuthenticated: lastAuthenticated,
  LastAuthenticatedEntity: ROLE_ARN,
  LastAuthenticatedRegion: 'eu-west-1',
  TotalAuthenticatedEntities: 1,
  ...(tracked ? { TrackedActionsLastAccessed: tracked } : {}),
});

/** a tracked action used at `time`, or never used (only ActionName) */
export const tracked = (name: string, time?: string): TrackedActionLastAccessed =>
  time ? { ActionName: name, LastAccessedEntity: ROLE_ARN, LastAccessedTime: time, LastAccessedRegion: 'eu-west-1' } : { ActionName: name };

/** a group member in a WithEntities list, with its last use of the service (none: never used) */
export const member = (name: string, lastAuthenticated?: string): EntityDetails => ({
  EntityInfo: { Arn: `arn:aws:iam::${ACCOUNT}:user/${name}`, Name: name, Type: 'USER', Id: `AIDA${name.toUpperCase()}` },
  ...(lastAuthenticated ? { LastAuthenticated: lastAuthenticated } : {}),
});

// ---- policies ----

export type Statement = Record<string, unknown>;
export const doc = (...Statement: Statement[]) => ({ Version: '2012-10-17', Statement });
export const allow = (Action: string | string[], Resource: string | string[] = '*', extra: Statement = {}): Statement => ({
  Effect: 'Allow',
  Action,
  Resource,
  ...extra,
});

export const inline = (PolicyName: string, document: object): SnapshotPolicy => ({
  Kind: 'inline',
  PolicyName,
  PolicyDocument: document as Record<string, unknown>,
  Source: { Type: 'principal' },
});

export const customerManaged = (PolicyName: string, document: object, AttachmentCount = 1): SnapshotPolicy => ({
  Kind: 'managed',
  ManagedBy: 'customer',
  PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/${PolicyName}`,
  PolicyName,
  AttachmentCount,
  DefaultVersionId: 'v1',
  PolicyDocument: document as Record<string, unknown>,
  Source: { Type: 'principal' },
});

export const awsManaged = (PolicyName: string, document: object): SnapshotPolicy => ({
  Kind: 'managed',
  ManagedBy: 'aws',
  PolicyArn: `arn:aws:iam::aws:policy/${PolicyName}`,
  PolicyName,
  AttachmentCount: 12,
  DefaultVersionId: 'v3',
  PolicyDocument: document as Record<string, unknown>,
  Source: { Type: 'principal' },
});

export interface SnapshotOptions {
  policies: SnapshotPolicy[];
  services: ServiceLastAccessed[];
  createDate?: string;
  type?: 'role' | 'user' | 'group';
  jobType?: 'ACTION_LEVEL' | 'SERVICE_LEVEL';
  /** GetServiceLastAccessedDetailsWithEntities by namespace, as the collector stores it for a group */
  entityDetails?: Record<string, EntityDetails[]>;
}

const COLLECTION: Snapshot['collection'] = { Source: 'hand-written', ToolVersion: 'test', CatalogVersion: 'test-catalog' };

/** a completed report job, finished at T */
function completedReport(o: Pick<SnapshotOptions, 'services' | 'jobType' | 'entityDetails'>): Snapshot['report'] {
  return {
    Kind: 'service-last-accessed',
    JobType: o.jobType ?? 'ACTION_LEVEL',
    JobStatus: 'COMPLETED',
    JobCreationDate: new Date(Date.parse(T) - 2000).toISOString(),
    JobCompletionDate: T,
    ServicesLastAccessed: o.services,
    ...(o.entityDetails ? { EntityDetails: o.entityDetails } : {}),
  };
}

export function snapshot(o: SnapshotOptions): Snapshot {
  const type = o.type ?? 'role';
  return {
    schemaVersion: 2,
    subject: {
      Kind: 'principal',
      principal: {
        Type: type,
        Arn: type === 'role' ? ROLE_ARN : `arn:aws:iam::${ACCOUNT}:${type}/app`,
        Name: 'app',
        Path: '/',
        CreateDate: o.createDate ?? '2024-01-01T00:00:00Z',
      },
      policies: o.policies,
    },
    report: completedReport(o),
    collection: COLLECTION,
  };
}

export { principalSubject } from './subject.js';

/** A recommendation about a principal; fails the test otherwise. */
export function principalRec(rec: Recommendation): Extract<Recommendation, { subjectKind: 'principal' }> {
  if (rec.subjectKind !== 'principal') throw new Error(`expected a principal recommendation, got ${rec.subjectKind}`);
  return rec;
}

// ---- a managed policy as the subject ----

/** creation date of every entity and version built here unless given: old enough for any threshold */
const OLD = '2024-01-01T00:00:00.000Z';

/** a role, user or group a managed policy is attached to (ListEntitiesForPolicy, dated by GetRole / GetUser / GetGroup) */
const attached = (Type: AttachedEntity['Type'], name: string, createDate: string): AttachedEntity => ({
  Type,
  Arn: `arn:aws:iam::${ACCOUNT}:${Type}/${name}`,
  Name: name,
  Path: '/',
  CreateDate: createDate,
});
export const attachedRole = (name: string, createDate = OLD): AttachedEntity => attached('role', name, createDate);
export const attachedUser = (name: string, createDate = OLD): AttachedEntity => attached('user', name, createDate);
/** a group lists its members (GetGroup's Users), [] when it has none */
export const attachedGroup = (name: string, members: readonly GroupMember[] = [], createDate = OLD): AttachedEntity => ({
  ...attached('group', name, createDate),
  Members: [...members],
});
/** a user in an attached group (GetGroup's Users) */
export const groupMember = (name: string, createDate = OLD): GroupMember => ({ Name: name, Arn: `arn:aws:iam::${ACCOUNT}:user/${name}`, CreateDate: createDate });

/** ListPolicyVersions of `count` versions v1…v<count>, a month apart, the last one the default */
export const policyVersions = (count: number, lastCreateDate = OLD): ManagedPolicyVersion[] =>
  Array.from({ length: count }, (_, i) => ({
    VersionId: `v${i + 1}`,
    IsDefaultVersion: i === count - 1,
    CreateDate: new Date(Date.parse(lastCreateDate) - (count - 1 - i) * 30 * 86_400_000).toISOString(),
  }));

export interface PolicySubjectOptions {
  readonly document: object;
  /** customer (default): arn:aws:iam::<account>:policy/<name>; aws: arn:aws:iam::aws:policy/<name> */
  readonly managedBy?: ManagedBy;
  /** default: `fleet` (customer-managed), `FleetAccess` (AWS-managed) */
  readonly name?: string;
  /** default: one role, `app`, created long before T */
  readonly entities?: readonly AttachedEntity[];
  /** ListPolicyVersions; the default one names DefaultVersionId. Default: one version, v1, dated defaultVersionCreateDate */
  readonly versions?: readonly ManagedPolicyVersion[];
  /** PermissionsBoundaryUsageCount (default 0) */
  readonly boundaryUsage?: number;
  /** default: the default version's CreateDate */
  readonly defaultVersionCreateDate?: string;
  readonly services: ServiceLastAccessed[];
  /** GetServiceLastAccessedDetailsWithEntities by namespace, as the collector stores it for a policy */
  readonly entityDetails?: Record<string, EntityDetails[]>;
  readonly jobType?: 'ACTION_LEVEL' | 'SERVICE_LEVEL';
}

/** what most managed-policy tests trim: s3:GetObject used yesterday, s3:PutObject never used, ec2 never used */
export const TRIMMABLE = {
  document: doc(allow(['s3:GetObject', 's3:PutObject', 'ec2:RunInstances'])),
  services: [usedService('s3', daysBefore(1), [tracked('GetObject', daysBefore(1)), tracked('PutObject')]), unusedService('ec2')],
};

/** A version-2 snapshot whose subject is a managed policy and everyone it is attached to, in the real API shapes. */
export function policySubjectSnapshot(o: PolicySubjectOptions): Snapshot {
  const managedBy = o.managedBy ?? 'customer';
  const name = o.name ?? (managedBy === 'aws' ? 'FleetAccess' : 'fleet');
  const versions = o.versions ?? policyVersions(1, o.defaultVersionCreateDate ?? OLD);
  const byDefault = versions.find((v) => v.IsDefaultVersion);
  const entities = o.entities ?? [attachedRole('app')];
  const defaultVersionCreateDate = o.defaultVersionCreateDate ?? byDefault?.CreateDate;
  return {
    schemaVersion: 2,
    subject: {
      Kind: 'managed-policy',
      policy: {
        ManagedBy: managedBy,
        PolicyArn: `arn:aws:iam::${managedBy === 'aws' ? 'aws' : ACCOUNT}:policy/${name}`,
        PolicyName: name,
        Path: '/',
        AttachmentCount: entities.length,
        PermissionsBoundaryUsageCount: o.boundaryUsage ?? 0,
        DefaultVersionId: byDefault?.VersionId ?? 'v1',
        ...(defaultVersionCreateDate === undefined ? {} : { DefaultVersionCreateDate: defaultVersionCreateDate }),
        PolicyDocument: o.document as Record<string, unknown>,
      },
      versions: [...versions],
      attachedEntities: [...entities],
    },
    report: completedReport(o),
    collection: COLLECTION,
  };
}

/** A recommendation about a managed policy; fails the test otherwise. */
export function managedPolicyRec(rec: Recommendation): Extract<Recommendation, { subjectKind: 'managed-policy' }> {
  if (rec.subjectKind !== 'managed-policy') throw new Error(`expected a managed-policy recommendation, got ${rec.subjectKind}`);
  return rec;
}
