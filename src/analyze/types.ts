import type { Same } from '../type-checks.js';
import type { NormalizedPolicy } from '../policy/types.js';
import type { SharedPolicies } from './config.js';
import type { EntityDetails, ManagedBy, PolicySource, PrincipalType, Snapshot, SnapshotPolicy } from '../snapshot/types.js';

// Each list below is the one place its codes are spelled: the type is derived from it, and so is the enum of
// recommendation.json's schema (render/recommendation-schema.ts). The order is the schema's.

/** Why a permission stays. Documented in docs/recommend.md. */
export const KEEP_REASONS = [
  /** the action is tracked and was used within the threshold */
  'action-used',
  /** the service was used within the threshold and AWS does not track this action (S3 object reads, SQS messages…) */
  'action-not-tracked',
  /** the service was used within the threshold and the report is SERVICE_LEVEL: no action data to go further */
  'service-used-no-action-data',
  /** the report does not mention the service: no evidence either way */
  'service-not-in-report',
  /** iam:PassRole or a configured never-remove pattern: AWS never reports it */
  'never-remove',
  /** the action pattern matches nothing in the catalog: kept verbatim */
  'unknown-action',
  /** the principal is younger than the threshold, or the data covers less than the threshold */
  'observation-window-too-short',
] as const;
export type KeepReason = (typeof KEEP_REASONS)[number];

/** Why a permission goes. */
export const REMOVE_REASONS = [
  /** the service is listed with no LastAuthenticated: never used in AWS's tracking period */
  'service-never-used',
  /** the service's last use is older than the threshold */
  'service-unused',
  /** the action is tracked and has no LastAccessedTime: never used in the tracking period */
  'action-never-used',
  /** the action is tracked and its last use is older than the threshold */
  'action-unused',
] as const;
export type RemoveReason = (typeof REMOVE_REASONS)[number];

export type ReasonCode = KeepReason | RemoveReason;

/** The report fields a decision rests on, so a reviewer can check it against the snapshot. */
export interface Evidence {
  /** service prefix, lower case */
  readonly service: string;
  readonly serviceName?: string;
  /** `service:Action` for action-level decisions */
  readonly action?: string;
  /** JSONPath into the snapshot of the report entry the decision reads */
  readonly field?: string;
  /** LastAuthenticated (service) or LastAccessedTime (action), as the report gives it */
  readonly lastAccessed?: string;
  readonly region?: string;
  readonly entity?: string;
  /** Organizations reports: how many member accounts used the service (TotalAuthenticatedEntities) */
  readonly accounts?: number;
  /** whole days between the last access and the reference time */
  readonly daysUnused?: number;
  readonly thresholdDays: number;
}

/** The verdict discriminants of Verdict below, for the schema. */
export const VERDICTS = ['keep', 'remove'] as const satisfies readonly Verdict['verdict'][];

export type Verdict =
  | { readonly verdict: 'keep'; readonly reason: KeepReason; readonly scope: DecisionScope; readonly evidence: Evidence }
  | {
      readonly verdict: 'remove';
      readonly reason: RemoveReason;
      readonly scope: DecisionScope;
      readonly evidence: Evidence;
    };

/** A service-wide decision covers every action of the service the policies allow. */
export const DECISION_SCOPES = ['service', 'action', 'pattern'] as const;
export type DecisionScope = (typeof DECISION_SCOPES)[number];

export type Decision = Verdict & {
  /** service prefix, `service:Action`, or an unknown pattern verbatim */
  readonly subject: string;
  /** how many catalog actions allowed by the policies the decision covers (patterns: 0) */
  readonly actionCount: number;
};

export const WINDOW_STATUSES = ['sufficient', 'too-short'] as const;
export const WINDOW_SHORT_BECAUSE = [
  'principal-younger-than-threshold',
  'tracking-period-shorter-than-threshold',
  /** a managed policy's default version, an entity it is attached to, or a member of such a group is that young */
  'subject-start-younger-than-threshold',
] as const;
export const WINDOW_START_KINDS = ['default-version', 'newer-version', 'role', 'user', 'group', 'group-member', 'account'] as const;

/**
 * Something whose creation bounds what a managed policy's report can show: its default version (its permissions may
 * be newly granted), an entity it is attached to, or a member of an attached group (neither may have run its monthly
 * job yet). A version newer than the default (`newer-version`) means the default was set again since: it bounds the
 * default's time in force. The latest of these starts the data.
 */
export interface WindowStart {
  readonly kind: (typeof WINDOW_START_KINDS)[number];
  /** the version id, or the entity's name */
  readonly name: string;
  readonly arn?: string;
  /** with kind group-member: the attached group it belongs to */
  readonly group?: string;
  readonly createDate: string;
  /** JSONPath of the date in the snapshot */
  readonly field: string;
}
export const REFERENCE_TIME_SOURCES = ['JobCompletionDate', 'as-of'] as const;

export interface ObservationWindow {
  readonly status: (typeof WINDOW_STATUSES)[number];
  readonly shortBecause?: (typeof WINDOW_SHORT_BECAUSE)[number];
  readonly referenceTime: string;
  readonly referenceTimeSource: (typeof REFERENCE_TIME_SOURCES)[number];
  readonly thresholdDays: number;
  /** a principal subject's CreateDate */
  readonly principalCreateDate?: string;
  /** a managed-policy subject: the latest of its default version's and its entities' creation */
  readonly latestStart?: WindowStart;
  readonly jobCreationDate: string;
  readonly trackingPeriodDays: number;
  /** JobCreationDate − trackingPeriodDays: the oldest activity AWS can show */
  readonly trackingStart: string;
  /** the later of the subject's start (principal CreateDate, latestStart) and trackingStart: the data covers
   *  dataStart … referenceTime */
  readonly dataStart: string;
  readonly coveredDays: number;
}

export type WarningCode =
  | 'unknown-action'
  | 'service-level-report'
  | 'observation-window-too-short'
  | 'report-service-not-in-catalog'
  | 'tracked-action-not-in-catalog'
  | 'catalog-version-differs'
  /** a statement is kept whole: it grants something the report shows in use that the catalog does not know */
  | 'uncatalogued-in-use'
  /** the catalog was built more than 30 days before the reference time and the proposal narrows a wildcard or
   *  NotAction statement in a service it partly trims: actions AWS added since are given up unseen */
  | 'catalog-older-than-report'
  /** a threshold is longer than the days of last-accessed data IAM keeps: nothing it governs can be proven unused */
  | 'threshold-beyond-tracking-period';

/**
 * A warning as facts: its code and what the renderer needs to say it (src/render/warning-text.ts). The analysis and
 * the generator decide; they write no sentences.
 */
export type AnalysisWarning =
  | {
      readonly code: 'observation-window-too-short';
      readonly because: 'principal-younger-than-threshold';
      readonly principalCreateDate: string;
      readonly coveredDays: number;
      readonly referenceTime: string;
      readonly thresholdDays: number;
    }
  | {
      readonly code: 'observation-window-too-short';
      readonly because: 'subject-start-younger-than-threshold';
      readonly start: WindowStart;
      readonly coveredDays: number;
      readonly referenceTime: string;
      readonly thresholdDays: number;
    }
  | {
      readonly code: 'observation-window-too-short';
      readonly because: 'tracking-period-shorter-than-threshold';
      readonly trackingPeriodDays: number;
      readonly trackingStart: string;
      readonly thresholdDays: number;
    }
  /** the main threshold (service absent) or a service's threshold in serviceThresholds */
  | { readonly code: 'threshold-beyond-tracking-period'; readonly thresholdDays: number; readonly trackingPeriodDays: number; readonly service?: string }
  | { readonly code: 'catalog-version-differs'; readonly snapshotCatalog: string; readonly catalog: string }
  | { readonly code: 'service-level-report' }
  | { readonly code: 'unknown-action'; readonly pattern: string; readonly catalog: string }
  | { readonly code: 'report-service-not-in-catalog'; readonly service: string; readonly catalog: string }
  | { readonly code: 'tracked-action-not-in-catalog'; readonly action: string; readonly field: string; readonly catalog: string }
  | {
      readonly code: 'uncatalogued-in-use';
      readonly policyName: string;
      readonly index: number;
      readonly Sid?: string;
      /** what the statement grants that the report shows in use (or never-remove) and the catalog does not know */
      readonly holds: readonly { readonly label: string; readonly field: string }[];
      /** the services whose part of the statement stays as written (the rest is trimmed); absent: the whole statement */
      readonly services?: readonly string[];
      readonly catalog: string;
    }
  | {
      readonly code: 'catalog-older-than-report';
      readonly catalogVersion: string;
      readonly catalogUpdatedAt: string;
      readonly days: number;
      readonly referenceTime: string;
      readonly statements: readonly { readonly policyName: string; readonly index: number; readonly Sid?: string; readonly dropped: boolean }[];
      /** services in use, only partly trimmed, whose newer actions the narrowed statements no longer grant */
      readonly services: readonly string[];
    };

// every warning code has its facts: a new code fails the typecheck here until it has them
const everyWarningHasFacts: Same<AnalysisWarning['code'], WarningCode> = true;
void everyWarningHasFacts;

export interface PolicyRef {
  /** index in the subject's policies (a managed-policy subject: 0, the policy itself) */
  readonly snapshotIndex: number;
  readonly policyName: string;
  readonly kind: SnapshotPolicy['Kind'];
  readonly managedBy?: ManagedBy;
  readonly policyArn?: string;
  readonly attachmentCount?: number;
  readonly permissionsBoundaryUsageCount?: number;
  readonly defaultVersionId?: string;
  /** the default version's CreateDate, when the snapshot has it */
  readonly defaultVersionCreateDate?: string;
  readonly source: PolicySource;
}

/**
 * Why a statement is kept whole although some actions it grants are unused. Its unused actions are listed in
 * `keptDespiteUnused` and none in `removable`.
 */
export type StatementHold =
  /** a wildcard or NotAction in it grants what the catalog cannot name and the data shows in use (`service:*` or
   *  `service:action`, in `grants`), which narrowing to catalog actions would drop. With `services`, only those
   *  services' part of the statement is held (kept as written); the rest is trimmed as usual */
  | { readonly kind: 'uncatalogued-in-use'; readonly grants: readonly string[]; readonly services?: readonly string[] }
  /** its customer-managed policy's default version is younger than the threshold (PolicyAnalysis.recentVersion) */
  | { readonly kind: 'policy-version-too-recent' };

/**
 * A customer-managed policy whose default version was created less than the threshold before the reference time: its
 * permissions may be newly granted, so their absence from the report proves nothing yet.
 */
export interface RecentDefaultVersion {
  /** JSONPath of the date in the snapshot */
  readonly field: string;
  readonly versionId: string;
  /** GetPolicyVersion CreateDate of the default version, as the snapshot gives it */
  readonly versionCreateDate: string;
  /** whole days from the version's creation to the reference time (0 when created after it) */
  readonly daysSinceVersion: number;
  /** the largest threshold applying to an unused action of the policy */
  readonly thresholdDays: number;
  /** versionCreateDate + thresholdDays: from then on the report can prove its permissions unused */
  readonly trimmableFrom: string;
}

export interface StatementAnalysis {
  readonly index: number;
  readonly Sid?: string;
  readonly effect: 'Allow' | 'Deny';
  /** catalog actions the statement allows (Allow only; empty for Deny) */
  readonly allowed: readonly string[];
  /** Action patterns matching nothing in the catalog, verbatim (kept); empty for NotAction, where they exclude */
  readonly unknown: readonly string[];
  /** allowed actions whose verdict is remove and that this statement may lose (empty when held whole) */
  readonly removable: readonly string[];
  /** set when the statement, or its part for some services, is kept as written, and why */
  readonly hold?: StatementHold;
  /** with hold: the allowed actions whose verdict is remove but that stay with the held statement */
  readonly keptDespiteUnused?: readonly string[];
}

export interface PolicyAnalysis {
  readonly ref: PolicyRef;
  readonly policy: NormalizedPolicy;
  readonly statements: readonly StatementAnalysis[];
  /** set when the policy is kept whole because its default version is younger than the threshold */
  readonly recentVersion?: RecentDefaultVersion;
}

/** The principal as outputs name it. */
export interface PrincipalSummary {
  readonly Type: PrincipalType;
  readonly Arn: string;
  readonly Name: string;
  readonly CreateDate: string;
  readonly PermissionsBoundaryArn?: string;
}

export interface ReportSummary {
  readonly JobType: string;
  readonly JobCreationDate: string;
  readonly JobCompletionDate: string;
}

export type SubjectKind = Snapshot['subject']['Kind'];

/** One entity of a WithEntities report (a group's member, say) and its last use of the service. */
export interface EntityUse {
  readonly type: EntityDetails['EntityInfo']['Type'];
  readonly arn: string;
  readonly name: string;
  /** LastAuthenticated as the report gives it; absent: not used in the tracking period */
  readonly lastAuthenticated?: string;
}

/** Who used one service, from GetServiceLastAccessedDetailsWithEntities. */
export interface ServiceEntityUse {
  /** service prefix, lower case */
  readonly service: string;
  /** in the report's order (AWS lists the most recent use first) */
  readonly entities: readonly EntityUse[];
}

/** A role, user or group a managed policy is attached to, with the members of a group. */
export interface AttachedEntitySummary {
  readonly Type: PrincipalType;
  readonly Arn: string;
  readonly Name: string;
  readonly CreateDate: string;
  readonly Members?: readonly { readonly Name: string; readonly Arn: string; readonly CreateDate: string }[];
}

/** The managed policy a recommendation is about, as outputs name it. */
export interface ManagedPolicySummary {
  readonly Arn: string;
  readonly Name: string;
  readonly ManagedBy: ManagedBy;
  readonly DefaultVersionId: string;
  readonly DefaultVersionCreateDate?: string;
  readonly AttachmentCount: number;
  readonly PermissionsBoundaryUsageCount: number;
  /** ListPolicyVersions, oldest first */
  readonly versions: readonly { readonly VersionId: string; readonly IsDefaultVersion: boolean; readonly CreateDate: string }[];
  readonly attachedEntities: readonly AttachedEntitySummary[];
}

interface AnalysisCommon {
  readonly report: ReportSummary;
  readonly window: ObservationWindow;
  readonly thresholdDays: number;
  readonly serviceThresholds: Readonly<Record<string, number>>;
  readonly neverRemove: readonly string[];
  /** the config's services a guardrail never denies, beyond the defaults */
  readonly neverDeny: readonly string[];
  readonly sharedPolicies: SharedPolicies;
  readonly catalogVersion: string;
  /** Catalog.updatedAt: when the catalog was built */
  readonly catalogUpdatedAt: string;
  /** verdict of every catalog action some Allow statement allows, by action id */
  readonly verdicts: ReadonlyMap<string, Verdict>;
  /** sorted: service decisions by service, then action decisions by action, then patterns */
  readonly decisions: readonly Decision[];
  readonly policies: readonly PolicyAnalysis[];
  readonly warnings: readonly AnalysisWarning[];
  /** only when the report has EntityDetails (a group's): who used each service, in the report's order. Evidence for
   *  the reader; no decision rests on it (the service report already is the union over the entities) */
  readonly entityUse?: readonly ServiceEntityUse[];
}

/** A role, user or group and every policy that applies to it. */
export interface PrincipalAnalysis extends AnalysisCommon {
  /** what the recommendation is about (the snapshot's subject.Kind): each kind has its window rule and planner */
  readonly subjectKind: 'principal';
  readonly principal: PrincipalSummary;
}

/** An organization's member account as outputs name it. */
export interface OrgAccountSummary {
  readonly Id: string;
  readonly Name: string;
  readonly Path: string;
  readonly JoinedTimestamp: string;
}

/** An SCP, where it is attached and the member accounts it applies to. */
export interface ScpSummary {
  readonly Id: string;
  readonly Name: string;
  readonly AwsManaged: boolean;
  readonly OrganizationId: string;
  readonly RootId: string;
  readonly ManagementAccountId: string;
  readonly targets: readonly { readonly TargetId: string; readonly Type: string; readonly Path: string; readonly Name?: string }[];
  readonly accounts: readonly OrgAccountSummary[];
  /** the report's EntityPath and policy id: the root path with this SCP's id covers every account it applies to */
  readonly reportEntityPath: string;
  readonly reportPolicyId?: string;
}

/** A root, OU or account and the member accounts below it. */
export interface OrgEntitySummary {
  readonly Path: string;
  readonly Type: string;
  readonly Id: string;
  readonly Name?: string;
  readonly OrganizationId: string;
  readonly ManagementAccountId: string;
  readonly accounts: readonly OrgAccountSummary[];
  readonly attachedPolicies: readonly { readonly Id: string; readonly Name: string; readonly AwsManaged: boolean }[];
}

/** A managed policy, for everyone it is attached to: `policies` holds the policy alone. */
export interface ManagedPolicyAnalysis extends AnalysisCommon {
  readonly subjectKind: 'managed-policy';
  readonly managedPolicy: ManagedPolicySummary;
}

/** An SCP, for every member account it applies to: `policies` holds the SCP alone (its Content). */
export interface ScpAnalysis extends AnalysisCommon {
  readonly subjectKind: 'scp';
  readonly scp: ScpSummary;
}

/** A root, OU or account: no policy of its own (`policies` is empty); the report's services and their decisions. */
export interface OrgEntityAnalysis extends AnalysisCommon {
  readonly subjectKind: 'organization-entity';
  readonly entity: OrgEntitySummary;
  /** every service the report lists (the SCPs there allow), in its order: what a guardrail may deny */
  readonly allowedServices: readonly string[];
}

export type Analysis = PrincipalAnalysis | ManagedPolicyAnalysis | ScpAnalysis | OrgEntityAnalysis;

// each subject kind has its analysis
const everySubjectHasAnalysis: Same<Analysis['subjectKind'], SubjectKind> = true;
void everySubjectHasAnalysis;
