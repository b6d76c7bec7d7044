import { parseISO } from 'date-fns';
import type { Catalog } from '../catalog/catalog.js';
import { inputError } from '../errors.js';
import { expandStatement, parsePolicy } from '../policy/index.js';
import type { NormalizedPolicy } from '../policy/types.js';
import type {
  ManagedPolicySubject,
  OrgAccount,
  OrganizationEntitySubject,
  OrganizationsReport,
  PrincipalSubject,
  ScpSubject,
  ServiceReport,
  Snapshot,
  SnapshotPolicy,
} from '../snapshot/types.js';
import { asServiceReport } from './organizations-report.js';
import type { AnalysisConfig } from './config.js';
import { collectDecisions } from './decisions.js';
import { makeDecider } from './decide.js';
import { entityUse } from './entity-use.js';
import { recentDefaultVersion } from './recent-version.js';
import type {
  Analysis,
  AnalysisWarning,
  ManagedPolicyAnalysis,
  OrgAccountSummary,
  OrgEntityAnalysis,
  PolicyAnalysis,
  ScpAnalysis,
  PolicyRef,
  PrincipalAnalysis,
  StatementAnalysis,
  Verdict,
} from './types.js';
import { grantedUncatalogued, heldServicesAsWritten, uncataloguedInUse, type UncataloguedInUse } from './uncatalogued.js';
import { indexUsage } from './usage.js';
import { V2_PATHS, type SnapshotPaths } from '../snapshot/v1.js';
import { checkAsOf, observationWindow, thresholdWarnings } from './window.js';

export interface AnalyzeInput {
  /** already validated (validateSnapshot) */
  readonly snapshot: Snapshot;
  readonly catalog: Catalog;
  readonly config: AnalysisConfig;
  /** overrides the report's JobCompletionDate as reference time; must lie between the data's start and it (checkAsOf) */
  readonly asOf?: Date;
  /** names the snapshot in error messages (a file name) */
  readonly label?: string;
  /** where the subject's and the report's fields stood in the file (version 1 or 2), for evidence and errors */
  readonly paths?: SnapshotPaths;
}

/**
 * Decides, for the snapshot's subject, what its report proves unused. Pure: reads only its input; the reference time
 * is the report's, never the clock. Each kind of subject has its own analysis (its observation window, what it grants).
 */
export function analyze(input: AnalyzeInput): Analysis {
  const subject = input.snapshot.subject;
  switch (subject.Kind) {
    case 'principal':
      return analyzePrincipal(input, subject);
    case 'managed-policy':
      return analyzeManagedPolicy(input, subject);
    case 'scp':
      return analyzeScp(input, subject);
    case 'organization-entity':
      return analyzeOrgEntity(input, subject);
  }
}

const accountSummaries = (accounts: readonly OrgAccount[]): OrgAccountSummary[] =>
  accounts.map((a) => ({ Id: a.Id, Name: a.Name, Path: a.Path, JoinedTimestamp: a.JoinedTimestamp }));

/** the Organizations report of an Organizations subject, read as a SERVICE_LEVEL service report */
function organizationsReportOf(input: AnalyzeInput): { report: ServiceReport; listName: string; raw: OrganizationsReport } {
  const raw = input.snapshot.report;
  if (raw.Kind !== 'organizations-access') {
    throw inputError(`${input.label ?? 'snapshot'}: ${(input.paths ?? V2_PATHS).report}.Kind: an Organizations subject needs an organizations-access report`);
  }
  return { ...asServiceReport(raw), raw };
}

/**
 * An SCP for the member accounts it applies to: the service rules (no action-level data in Organizations reports)
 * over its Content. Its report must be the root path with its policy id (the planner holds it otherwise).
 */
function analyzeScp(input: AnalyzeInput, subject: ScpSubject): ScpAnalysis {
  const paths = input.paths ?? V2_PATHS;
  const { report, listName, raw } = organizationsReportOf(input);
  const p = subject.policy;
  const policy: SnapshotPolicy = {
    Kind: 'managed',
    ManagedBy: p.AwsManaged ? 'aws' : 'customer',
    PolicyArn: p.Arn ?? p.Id,
    PolicyName: p.Name,
    AttachmentCount: Math.max(1, subject.targets.length),
    DefaultVersionId: 'v1',
    PolicyDocument: p.Content,
    Source: { Type: 'principal' },
  };
  const common = analyzeGrants(input, { policies: [policy], documentPath: () => `${paths.subject}.policy`, recentVersions: false, report, listName });
  const o = subject.organization;
  return {
    subjectKind: 'scp',
    scp: {
      Id: p.Id,
      Name: p.Name,
      AwsManaged: p.AwsManaged,
      OrganizationId: o.Id,
      RootId: o.RootId,
      ManagementAccountId: o.ManagementAccountId,
      targets: subject.targets.map((t) => ({ TargetId: t.TargetId, Type: t.Type, Path: t.Path, ...(t.Name ? { Name: t.Name } : {}) })),
      accounts: accountSummaries(subject.accounts),
      reportEntityPath: raw.EntityPath,
      ...(raw.OrganizationsPolicyId ? { reportPolicyId: raw.OrganizationsPolicyId } : {}),
    },
    ...common,
  };
}

/**
 * A root, OU or account for a deny-list guardrail: it has no policy of its own, so the decisions are per service
 * the report lists (what the SCPs there allow), by the same rules.
 */
function analyzeOrgEntity(input: AnalyzeInput, subject: OrganizationEntitySubject): OrgEntityAnalysis {
  const { report, listName } = organizationsReportOf(input);
  const services = report.ServicesLastAccessed.map((s) => s.ServiceNamespace.toLowerCase());
  // one Allow of each service's wildcard: the rules then decide each service as a whole, as the report can
  const grants = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: services.map((s) => `${s}:*`), Resource: '*' }] };
  const probe: SnapshotPolicy = {
    Kind: 'inline',
    PolicyName: 'services-allowed-here',
    PolicyDocument: services.length ? grants : { Version: '2012-10-17', Statement: [] },
    Source: { Type: 'principal' },
  };
  const common = analyzeGrants(input, { policies: services.length ? [probe] : [], documentPath: () => '$.report', recentVersions: false, report, listName });
  const o = subject.organization;
  return {
    subjectKind: 'organization-entity',
    entity: {
      Path: subject.entity.Path,
      Type: subject.entity.Type,
      Id: subject.entity.Id,
      ...(subject.entity.Name ? { Name: subject.entity.Name } : {}),
      OrganizationId: o.Id,
      ManagementAccountId: o.ManagementAccountId,
      accounts: accountSummaries(subject.accounts),
      attachedPolicies: subject.attachedPolicies.map((a) => ({ Id: a.Id, Name: a.Name, AwsManaged: a.AwsManaged })),
    },
    allowedServices: services,
    ...common,
    // the probe is the analysis's device, not a policy of the entity's
    policies: [],
  };
}

/**
 * Decides, for every action the principal's Allow statements grant, whether the last-accessed report proves it
 * unused.
 */
function analyzePrincipal(input: AnalyzeInput, subject: PrincipalSubject): PrincipalAnalysis {
  const paths = input.paths ?? V2_PATHS;
  const common = analyzeGrants(input, {
    policies: subject.policies,
    documentPath: (i) => `${paths.subject}.policies[${i}]`,
    recentVersions: true,
  });
  const p = subject.principal;
  return {
    subjectKind: 'principal',
    principal: {
      Type: p.Type,
      Arn: p.Arn,
      Name: p.Name,
      CreateDate: p.CreateDate,
      ...(p.PermissionsBoundaryArn ? { PermissionsBoundaryArn: p.PermissionsBoundaryArn } : {}),
    },
    ...common,
  };
}

/**
 * A managed policy for everyone it reaches: its report is already the union over its entities (users through
 * groups included), so the rules are the principal's, applied to its one document. Its default version bounds the
 * observation window (managedPolicyStarts), so the per-policy version rule does not apply again.
 */
function analyzeManagedPolicy(input: AnalyzeInput, subject: ManagedPolicySubject): ManagedPolicyAnalysis {
  const paths = input.paths ?? V2_PATHS;
  const p = subject.policy;
  const policy: SnapshotPolicy = {
    Kind: 'managed',
    ManagedBy: p.ManagedBy,
    PolicyArn: p.PolicyArn,
    PolicyName: p.PolicyName,
    AttachmentCount: p.AttachmentCount,
    DefaultVersionId: p.DefaultVersionId,
    PolicyDocument: p.PolicyDocument,
    Source: { Type: 'principal' },
    Path: p.Path,
    PermissionsBoundaryUsageCount: p.PermissionsBoundaryUsageCount,
    ...(p.DefaultVersionCreateDate === undefined ? {} : { DefaultVersionCreateDate: p.DefaultVersionCreateDate }),
  };
  const common = analyzeGrants(input, { policies: [policy], documentPath: () => `${paths.subject}.policy`, recentVersions: false });
  const versions = [...subject.versions].sort((a, b) => Date.parse(a.CreateDate) - Date.parse(b.CreateDate));
  return {
    subjectKind: 'managed-policy',
    managedPolicy: {
      Arn: p.PolicyArn,
      Name: p.PolicyName,
      ManagedBy: p.ManagedBy,
      DefaultVersionId: p.DefaultVersionId,
      ...(p.DefaultVersionCreateDate === undefined ? {} : { DefaultVersionCreateDate: p.DefaultVersionCreateDate }),
      AttachmentCount: p.AttachmentCount,
      PermissionsBoundaryUsageCount: p.PermissionsBoundaryUsageCount,
      versions: versions.map((v) => ({ VersionId: v.VersionId, IsDefaultVersion: v.IsDefaultVersion, CreateDate: v.CreateDate })),
      attachedEntities: subject.attachedEntities.map((e) => ({
        Type: e.Type,
        Arn: e.Arn,
        Name: e.Name,
        CreateDate: e.CreateDate,
        ...(e.Members ? { Members: e.Members.map((m) => ({ Name: m.Name, Arn: m.Arn, CreateDate: m.CreateDate })) } : {}),
      })),
    },
    ...common,
  };
}

type AnalysisCommon = Omit<PrincipalAnalysis, 'subjectKind' | 'principal'>;

/** an IAM subject's own report */
function serviceReportOf(snapshot: Snapshot, label: string): ServiceReport {
  if (snapshot.report.Kind !== 'service-last-accessed') throw inputError(`${label}: $.report.Kind: a principal or managed policy needs a service-last-accessed report`);
  return snapshot.report;
}

/** The rules of DESIGN.md over the subject's identity policies; what each kind of subject shares. */
function analyzeGrants(
  input: AnalyzeInput,
  subject: {
    readonly policies: readonly SnapshotPolicy[];
    /** JSONPath of the i-th policy in the file */
    readonly documentPath: (index: number) => string;
    /** apply the customer-managed default-version rule per policy (recent-version.ts) */
    readonly recentVersions: boolean;
    /** the report as a service report (an Organizations report is read as one), and the name of its list */
    readonly report?: ServiceReport;
    readonly listName?: string;
  },
): AnalysisCommon {
  const { snapshot, catalog, config } = input;
  const label = input.label ?? 'snapshot';
  const report = subject.report ?? serviceReportOf(snapshot, label);
  const paths = input.paths ?? V2_PATHS;
  if (input.asOf) {
    checkAsOf({ asOf: input.asOf, snapshot, subjectPath: paths.subject, thresholdDays: config.unusedDays, trackingPeriodDays: config.trackingPeriodDays });
  }
  const referenceTime = input.asOf ?? parseISO(report.JobCompletionDate);
  const window = observationWindow({
    snapshot,
    subjectPath: paths.subject,
    referenceTime,
    referenceTimeSource: input.asOf ? 'as-of' : 'JobCompletionDate',
    thresholdDays: config.unusedDays,
    trackingPeriodDays: config.trackingPeriodDays,
  });
  const usage = indexUsage(report, paths.report, subject.listName);
  const decide = makeDecider({
    catalog,
    usage,
    window,
    config,
    referenceTime,
    jobType: report.JobType,
    countsAccounts: snapshot.report.Kind === 'organizations-access',
  });

  const verdicts = new Map<string, Verdict>();
  const verdictOf = (actionId: string): Verdict => {
    let v = verdicts.get(actionId);
    if (!v) {
      v = decide(actionId);
      verdicts.set(actionId, v);
    }
    return v;
  };

  const inUse = uncataloguedInUse({ catalog, usage, window, config, referenceTime });
  const held: HeldStatement[] = [];
  const unknownPatterns = new Set<string>();
  const policies: PolicyAnalysis[] = subject.policies.map((p, i) => {
    const policy = parseSnapshotPolicy(p, { label, path: subject.documentPath(i) });
    const statements: StatementAnalysis[] = policy.statements.map((s) => {
      if (s.Effect === 'Deny') {
        return { index: s.index, ...(s.Sid ? { Sid: s.Sid } : {}), effect: 'Deny', allowed: [], unknown: [], removable: [] };
      }
      const expansion = expandStatement(catalog, s);
      // unknown patterns of a NotAction are exclusions, not grants: nothing to keep (a narrowed NotAction becomes an
      // Action list of catalog ids, which excludes them anyway)
      const unknown = s.actionKind === 'Action' ? expansion.unknown : [];
      unknown.forEach((u) => unknownPatterns.add(u));
      const unused = expansion.actions.filter((a) => verdictOf(a).verdict === 'remove');
      const base = { index: s.index, ...(s.Sid ? { Sid: s.Sid } : {}), effect: 'Allow', allowed: expansion.actions, unknown } as const;
      // narrowing would replace its patterns by catalog actions and drop what the catalog cannot name: the services
      // concerned keep their part as written, or, where that cannot be written, the statement is kept whole
      const holds = unused.length > 0 ? grantedUncatalogued(catalog, s, inUse) : [];
      if (holds.length === 0) return { ...base, removable: unused };
      const services = heldServicesAsWritten(catalog, s, holds);
      const grants = holds.map((h) => h.label);
      held.push({ policyName: p.PolicyName, index: s.index, ...(s.Sid ? { Sid: s.Sid } : {}), holds, ...(services ? { services: [...services].sort() } : {}) });
      if (services === undefined) return { ...base, removable: [], hold: { kind: 'uncatalogued-in-use', grants }, keptDespiteUnused: unused };
      const inHeld = (a: string): boolean => services.has(a.slice(0, a.indexOf(':')).toLowerCase());
      return {
        ...base,
        removable: unused.filter((a) => !inHeld(a)),
        hold: { kind: 'uncatalogued-in-use', grants, services: [...services].sort() },
        keptDespiteUnused: unused.filter(inHeld),
      };
    });
    const unused = [...new Set(statements.flatMap((s) => [...s.removable, ...(s.keptDespiteUnused ?? [])]))];
    const recentVersion = subject.recentVersions
      ? recentDefaultVersion({ policy: p, field: `${subject.documentPath(i)}.DefaultVersionCreateDate`, unused, config, referenceTime })
      : undefined;
    if (!recentVersion) return { ref: policyRef(p, i), policy, statements };
    // the same hold as for uncatalogued grants, on every statement: nothing in the policy is proven unused
    const versionHeld = statements.map((s): StatementAnalysis =>
      s.removable.length === 0
        ? s
        : { ...s, removable: [], hold: { kind: 'policy-version-too-recent' }, keptDespiteUnused: s.removable },
    );
    return { ref: policyRef(p, i), policy, statements: versionHeld, recentVersion };
  });

  const warnings = [
    ...thresholdWarnings(window, config.serviceThresholds),
    ...collectWarnings({ snapshot, catalog, unknownPatterns, window, usage, report }),
    ...heldWarnings(held, catalog),
  ];
  const decisions = collectDecisions({ verdicts, unknownPatterns, thresholdDays: config.unusedDays });
  return {
    report: {
      JobType: report.JobType,
      JobCreationDate: report.JobCreationDate,
      JobCompletionDate: report.JobCompletionDate,
    },
    window,
    thresholdDays: config.unusedDays,
    serviceThresholds: config.serviceThresholds,
    neverRemove: config.neverRemove,
    neverDeny: config.neverDeny,
    sharedPolicies: config.sharedPolicies,
    catalogVersion: catalog.version,
    catalogUpdatedAt: catalog.updatedAt,
    verdicts,
    decisions,
    policies,
    warnings,
    ...(report.EntityDetails ? { entityUse: entityUse(report.EntityDetails) } : {}),
  };
}

interface HeldStatement {
  readonly policyName: string;
  readonly index: number;
  readonly Sid?: string;
  readonly holds: readonly UncataloguedInUse[];
  /** the services kept as written; absent: the whole statement is kept */
  readonly services?: readonly string[];
}

function heldWarnings(held: readonly HeldStatement[], catalog: Catalog): AnalysisWarning[] {
  return held.map((h) => ({
    code: 'uncatalogued-in-use',
    policyName: h.policyName,
    index: h.index,
    ...(h.Sid ? { Sid: h.Sid } : {}),
    holds: h.holds.map((u) => ({ label: u.label, field: u.field })),
    ...(h.services ? { services: h.services } : {}),
    catalog: catalog.version,
  }));
}

function parseSnapshotPolicy(p: SnapshotPolicy, at: { label: string; path: string }): NormalizedPolicy {
  const parsed = parsePolicy(p.PolicyDocument);
  if (parsed.ok) return parsed.policy;
  const problem = parsed.problems[0];
  const where = problem && problem.path !== '(document)' ? `.${problem.path}` : '';
  throw inputError(
    `${at.label}: ${at.path}.PolicyDocument${where}: ${problem?.message ?? 'is not a valid policy'} (policy "${p.PolicyName}")`,
  );
}

function policyRef(p: SnapshotPolicy, i: number): PolicyRef {
  if (p.Kind === 'inline') return { snapshotIndex: i, policyName: p.PolicyName, kind: 'inline', source: p.Source };
  return {
    snapshotIndex: i,
    policyName: p.PolicyName,
    kind: 'managed',
    managedBy: p.ManagedBy,
    policyArn: p.PolicyArn,
    attachmentCount: p.AttachmentCount,
    ...(p.PermissionsBoundaryUsageCount === undefined ? {} : { permissionsBoundaryUsageCount: p.PermissionsBoundaryUsageCount }),
    defaultVersionId: p.DefaultVersionId,
    ...(p.DefaultVersionCreateDate === undefined ? {} : { defaultVersionCreateDate: p.DefaultVersionCreateDate }),
    source: p.Source,
  };
}

function collectWarnings(input: {
  snapshot: Snapshot;
  catalog: Catalog;
  unknownPatterns: ReadonlySet<string>;
  window: Analysis['window'];
  usage: ReturnType<typeof indexUsage>;
  report: ServiceReport;
}): AnalysisWarning[] {
  const warnings: AnalysisWarning[] = [];
  const { window, catalog } = input;
  // a threshold beyond what IAM keeps says the same more precisely (thresholdWarnings)
  if (window.status === 'too-short' && !(window.shortBecause === 'tracking-period-shorter-than-threshold' && window.thresholdDays > window.trackingPeriodDays)) {
    warnings.push(
      window.shortBecause === 'subject-start-younger-than-threshold' && window.latestStart
        ? {
            code: 'observation-window-too-short',
            because: 'subject-start-younger-than-threshold',
            start: window.latestStart,
            coveredDays: window.coveredDays,
            referenceTime: window.referenceTime,
            thresholdDays: window.thresholdDays,
          }
        : window.shortBecause === 'principal-younger-than-threshold'
        ? {
            code: 'observation-window-too-short',
            because: 'principal-younger-than-threshold',
            principalCreateDate: window.principalCreateDate ?? window.dataStart,
            coveredDays: window.coveredDays,
            referenceTime: window.referenceTime,
            thresholdDays: window.thresholdDays,
          }
        : {
            code: 'observation-window-too-short',
            because: 'tracking-period-shorter-than-threshold',
            trackingPeriodDays: window.trackingPeriodDays,
            trackingStart: window.trackingStart,
            thresholdDays: window.thresholdDays,
          },
    );
  }
  if (input.snapshot.collection.CatalogVersion !== catalog.version) {
    warnings.push({ code: 'catalog-version-differs', snapshotCatalog: input.snapshot.collection.CatalogVersion, catalog: catalog.version });
  }
  // Organizations reports are service-level by nature: nothing to regenerate
  if (input.snapshot.report.Kind === 'service-last-accessed' && input.report.JobType === 'SERVICE_LEVEL') {
    warnings.push({ code: 'service-level-report' });
  }
  for (const p of [...input.unknownPatterns].sort()) {
    warnings.push({ code: 'unknown-action', pattern: p, catalog: catalog.version });
  }
  for (const [ns, svc] of [...input.usage].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const actions = catalog.actionsOf(ns);
    if (!actions) {
      warnings.push({ code: 'report-service-not-in-catalog', service: svc.entry.ServiceNamespace, catalog: catalog.version });
      continue;
    }
    const names = new Set(actions.map((a) => a.name.toLowerCase()));
    for (const [name, t] of svc.tracked) {
      if (!names.has(name)) {
        warnings.push({
          code: 'tracked-action-not-in-catalog',
          action: `${ns}:${t.entry.ActionName?.split(':').pop() ?? name}`,
          field: t.field,
          catalog: catalog.version,
        });
      }
    }
  }
  return warnings;
}
