/**
 * The snapshot grammar, declared once: each piece is a JSON Schema (draft-07) fragment that also carries its
 * TypeScript type (./schema-builder.ts), so src/snapshot/types.ts derives every snapshot type from here and the two
 * cannot drift. Field names are the AWS API names. schemas/snapshot.schema.json is a copy for other tools, kept equal
 * by test/recommend/schemas.test.ts. Version 1 files (one principal at the top level) are read through ./v1.ts.
 */
import {
  array,
  boolean,
  documentSchema,
  integer,
  jsonTypes,
  literal,
  named,
  object,
  oneOfValues,
  record,
  string,
  taggedUnion,
  type Infer,
} from './schema-builder.js';

export const SNAPSHOT_SCHEMA_VERSION = 2 as const;

export const PRINCIPAL_TYPES = ['role', 'user', 'group'] as const;
export const POLICY_SOURCE_TYPES = ['principal', 'group'] as const;
export const POLICY_KINDS = ['inline', 'managed'] as const;
export const MANAGED_BY = ['customer', 'aws'] as const;
export const SUBJECT_KINDS = ['principal', 'managed-policy', 'scp', 'organization-entity'] as const;
export const REPORT_KINDS = ['service-last-accessed', 'organizations-access'] as const;
/** Organizations target types (ListTargetsForPolicy, ListParents) */
export const ORG_TARGET_TYPES = ['ROOT', 'ORGANIZATIONAL_UNIT', 'ACCOUNT'] as const;
/** GetServiceLastAccessedDetailsWithEntities EntityInfo.Type */
export const ENTITY_TYPES = ['USER', 'ROLE', 'GROUP'] as const;

const isoDate = named('isoDate', string({ pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:?\\d{2})$' }));
const principalArn = named(
  'principalArn',
  string({ pattern: '^arn:aws(-[a-z]+)*:iam::\\d{12}:(role|user|group)/([\\x21-\\x7E]+/)*[\\w+=,.@-]{1,128}$' }),
);
const policyArn = named(
  'policyArn',
  string({ pattern: '^arn:aws(-[a-z]+)*:iam::(\\d{12}|aws):policy/([\\x21-\\x7E]+/)*[\\w+=,.@-]{1,128}$' }),
);
const name = named('name', string({ pattern: '^[\\w+=,.@-]{1,128}$' }));
const path = named('path', string({ pattern: '^(/|/[\\x21-\\x7E]+/)$' }));
const document = named(
  'document',
  jsonTypes<Record<string, unknown> | string>(
    ['object', 'string'],
    'the decoded policy object, or the string IAM returned (JSON or URL-encoded JSON)',
  ),
);

const principal = named(
  'principal',
  object(
    { Type: oneOfValues(PRINCIPAL_TYPES), Arn: principalArn, Name: name, Path: path, CreateDate: isoDate },
    {
      Id: string(),
      Tags: array(object({ Key: string(), Value: string() })),
      PermissionsBoundaryArn: policyArn,
    },
  ),
);

const source = named(
  'source',
  taggedUnion('Type', [object({ Type: literal('principal') }), object({ Type: literal('group'), GroupName: name, GroupArn: principalArn })]),
);

const policy = named(
  'policy',
  taggedUnion('Kind', [
    object({ Kind: literal('inline'), PolicyName: name, PolicyDocument: document, Source: source }),
    object(
      {
        Kind: literal('managed'),
        ManagedBy: oneOfValues(MANAGED_BY),
        PolicyArn: policyArn,
        PolicyName: name,
        AttachmentCount: integer({ minimum: 1 }),
        DefaultVersionId: string({ pattern: '^v[1-9][0-9]*$' }),
        PolicyDocument: document,
        Source: source,
      },
      {
        Path: path,
        PermissionsBoundaryUsageCount: integer({
          minimum: 0,
          description:
            "GetPolicy's PermissionsBoundaryUsageCount: how many principals use the policy as their permissions boundary (AttachmentCount does not count them)",
        }),
        DefaultVersionCreateDate: isoDate,
      },
    ),
  ]),
);

const boundary = named(
  'boundary',
  object({ PolicyArn: policyArn, PolicyName: name }, { DefaultVersionId: string(), PolicyDocument: document }),
);

const trackedAction = named(
  'trackedAction',
  object(
    {},
    { ActionName: string({ minLength: 1 }), LastAccessedEntity: string(), LastAccessedTime: isoDate, LastAccessedRegion: string() },
  ),
);

const service = named(
  'service',
  object(
    { ServiceName: string(), ServiceNamespace: string({ pattern: '^[\\w-]+$' }) },
    {
      LastAuthenticated: isoDate,
      LastAuthenticatedEntity: string(),
      LastAuthenticatedRegion: string(),
      TotalAuthenticatedEntities: integer({ minimum: 0 }),
      TrackedActionsLastAccessed: array(trackedAction),
    },
  ),
);

const entityDetails = named(
  'entityDetails',
  object(
    {
      EntityInfo: object(
        { Arn: string(), Name: string(), Type: oneOfValues(ENTITY_TYPES), Id: string() },
        { Path: string() },
      ),
    },
    { LastAuthenticated: isoDate },
  ),
);

/** GetServiceLastAccessedDetails with every Marker page merged (and WithEntities, for groups and policies) */
const reportFields = {
  required: {
    JobType: oneOfValues(['ACTION_LEVEL', 'SERVICE_LEVEL'] as const),
    JobStatus: literal('COMPLETED'),
    JobCreationDate: isoDate,
    JobCompletionDate: isoDate,
    ServicesLastAccessed: array(service),
  },
  optional: { JobId: string(), EntityDetails: record(array(entityDetails)) },
};
const lastAccessed = named('report', object(reportFields.required, reportFields.optional));

const collection = named(
  'collection',
  object(
    { Source: oneOfValues(['aws', 'hand-written'] as const), ToolVersion: string(), CatalogVersion: string() },
    { Region: string(), ApiCalls: integer({ minimum: 0 }) },
  ),
);

/** GetPolicy and GetPolicyVersion (the default version) of the managed policy a recommendation is about */
const subjectPolicy = named(
  'subjectPolicy',
  object(
    {
      ManagedBy: oneOfValues(MANAGED_BY),
      PolicyArn: policyArn,
      PolicyName: name,
      Path: path,
      AttachmentCount: integer({ minimum: 0 }),
      PermissionsBoundaryUsageCount: integer({
        minimum: 0,
        description: 'principals using the policy as their permissions boundary: the report does not see that use',
      }),
      DefaultVersionId: string({ pattern: '^v[1-9][0-9]*$' }),
      PolicyDocument: document,
    },
    { DefaultVersionCreateDate: isoDate, CreateDate: isoDate, UpdateDate: isoDate },
  ),
);

/** ListPolicyVersions: IAM keeps at most 5 versions of a managed policy */
const policyVersion = named(
  'policyVersion',
  object({ VersionId: string({ pattern: '^v[1-9][0-9]*$' }), IsDefaultVersion: boolean(), CreateDate: isoDate }),
);

/** a user in an attached group (GetGroup's Users) */
const groupMember = named('groupMember', object({ Name: name, Arn: principalArn, CreateDate: isoDate }, { Id: string(), Path: path }));

/**
 * A role, user or group the policy is attached to (ListEntitiesForPolicy, dated by GetRole / GetUser / GetGroup);
 * a group lists its Members, [] when it has none.
 */
const attachedEntity = named(
  'attachedEntity',
  object(
    { Type: oneOfValues(PRINCIPAL_TYPES), Arn: principalArn, Name: name, Path: path, CreateDate: isoDate },
    { Id: string(), Members: array(groupMember) },
  ),
);

/** an entity path as GenerateOrganizationsAccessReport takes it: o-…/r-…[/ou-…]…[/account-id] */
const entityPath = named('entityPath', string({ pattern: '^o-[0-9a-z]{10,32}/r-[0-9a-z]{4,32}(/ou-[0-9a-z]{4,32}-[0-9a-z]{8,32})*(/[0-9]{12})?$' }));

/** DescribeOrganization and the root (ListRoots) */
const organization = named(
  'organization',
  object({ Id: string({ pattern: '^o-[0-9a-z]{10,32}$' }), RootId: string({ pattern: '^r-[0-9a-z]{4,32}$' }), ManagementAccountId: string({ pattern: '^[0-9]{12}$' }) }),
);

/** a member account (ListAccountsForParent / DescribeAccount) with its path; the management account is never listed */
const orgAccount = named(
  'orgAccount',
  object({ Id: string({ pattern: '^[0-9]{12}$' }), Name: string(), Path: entityPath, JoinedTimestamp: isoDate }, { Status: string() }),
);

/** an SCP: DescribePolicy (PolicySummary + Content) */
const scp = named(
  'scp',
  object(
    { Id: string({ pattern: '^p-[0-9a-zA-Z_]{8,128}$' }), Name: string(), AwsManaged: boolean(), Content: document },
    { Arn: string(), Description: string() },
  ),
);

/** where an SCP is attached (ListTargetsForPolicy), with its entity path */
const scpTarget = named(
  'scpTarget',
  object({ TargetId: string(), Type: oneOfValues(ORG_TARGET_TYPES), Path: entityPath }, { Name: string(), Arn: string() }),
);

/** what one recommendation is about */
const subject = named(
  'subject',
  taggedUnion('Kind', [
    object({ Kind: literal('principal'), principal, policies: array(policy) }, { permissionsBoundary: boundary }),
    object({
      Kind: literal('managed-policy'),
      policy: subjectPolicy,
      versions: array(policyVersion),
      attachedEntities: array(attachedEntity),
    }),
    // an SCP and the member accounts it applies to (below its targets, the management account excluded)
    object({ Kind: literal('scp'), organization, policy: scp, targets: array(scpTarget), accounts: array(orgAccount) }),
    // a root, OU or account, the member accounts below it, and the SCPs attached to it (the per-target quota)
    object({
      Kind: literal('organization-entity'),
      organization,
      entity: object({ Path: entityPath, Type: oneOfValues(ORG_TARGET_TYPES), Id: string() }, { Name: string() }),
      accounts: array(orgAccount),
      attachedPolicies: array(object({ Id: string(), Name: string(), AwsManaged: boolean() })),
    }),
  ]),
);

/** GetOrganizationsAccessReport → AccessDetails[] item, as the API returns it */
const accessDetail = named(
  'accessDetail',
  object(
    { ServiceName: string(), ServiceNamespace: string({ pattern: '^[\\w-]+$' }) },
    { Region: string(), EntityPath: string(), LastAuthenticatedTime: isoDate, TotalAuthenticatedEntities: integer({ minimum: 0 }) },
  ),
);

const report = named(
  'subjectReport',
  taggedUnion('Kind', [
    object({ Kind: literal('service-last-accessed'), ...reportFields.required }, reportFields.optional),
    // GenerateOrganizationsAccessReport's input and GetOrganizationsAccessReport with every Marker page merged
    object(
      {
        Kind: literal('organizations-access'),
        EntityPath: entityPath,
        JobStatus: literal('COMPLETED'),
        JobCreationDate: isoDate,
        JobCompletionDate: isoDate,
        AccessDetails: array(accessDetail),
      },
      { OrganizationsPolicyId: string(), JobId: string(), NumberOfServicesAccessible: integer({ minimum: 0 }), NumberOfServicesNotAccessed: integer({ minimum: 0 }) },
    ),
  ]),
);

const snapshotV2 = object({ schemaVersion: literal(SNAPSHOT_SCHEMA_VERSION), subject, report, collection }, { $schema: string() });

const snapshotV1 = object(
  { schemaVersion: literal(1), principal, policies: array(policy), lastAccessed, collection },
  { $schema: string(), permissionsBoundary: boundary },
);

const HEADER = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://github.com/leastpriv/leastpriv/schemas/snapshot.schema.json',
  title: 'leastpriv snapshot',
  description:
    'What one recommendation is about (the subject: a principal with its identity policies, or a managed policy with the entities it is attached to) and its last-accessed report, in the raw AWS API shapes. See src/snapshot/schema.ts.',
};

export const SNAPSHOT_SCHEMA = documentSchema(HEADER, snapshotV2);

/** version 1 (a principal at the top level), still read: ./v1.ts turns it into version 2 */
export const SNAPSHOT_V1_SCHEMA = documentSchema(
  {
    ...HEADER,
    $id: 'https://github.com/leastpriv/leastpriv/schemas/snapshot-v1.schema.json',
    title: 'leastpriv snapshot, version 1',
    // version 1 files only ever held a principal: their schema stays as it was published
    description:
      'What one recommendation is about (the subject: a principal with its identity policies) and its last-accessed report, in the raw AWS API shapes. See src/snapshot/schema.ts.',
  },
  snapshotV1,
);

export type SnapshotV2 = Infer<typeof snapshotV2>;
export type SnapshotV1 = Infer<typeof snapshotV1>;
export type SnapshotPrincipalT = Infer<typeof principal>;
export type SnapshotPolicyT = Infer<typeof policy>;
export type SnapshotBoundaryT = Infer<typeof boundary>;
export type TrackedActionT = Infer<typeof trackedAction>;
export type ServiceT = Infer<typeof service>;
export type EntityDetailsT = Infer<typeof entityDetails>;
export type LastAccessedReportT = Infer<typeof lastAccessed>;
export type CollectionT = Infer<typeof collection>;
export type SubjectT = Infer<typeof subject>;
export type SubjectPolicyT = Infer<typeof subjectPolicy>;
export type PolicyVersionT = Infer<typeof policyVersion>;
export type AttachedEntityT = Infer<typeof attachedEntity>;
export type GroupMemberT = Infer<typeof groupMember>;
export type SubjectReportT = Infer<typeof report>;
export type OrgAccountT = Infer<typeof orgAccount>;
export type ScpT = Infer<typeof scp>;
export type ScpTargetT = Infer<typeof scpTarget>;
export type AccessDetailT = Infer<typeof accessDetail>;
