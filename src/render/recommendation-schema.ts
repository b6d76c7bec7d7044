/**
 * The recommendation.json grammar (draft-07). Source of truth for schemas/recommendation.schema.json, kept equal by
 * test/recommend/schemas.test.ts, which also validates every committed example against it. Every enum is one of the
 * `as const` lists the TypeScript types are derived from, so the two cannot drift.
 */
import {
  DECISION_SCOPES,
  KEEP_REASONS,
  REFERENCE_TIME_SOURCES,
  REMOVE_REASONS,
  VERDICTS,
  WINDOW_SHORT_BECAUSE,
  WINDOW_START_KINDS,
  WINDOW_STATUSES,
} from '../analyze/types.js';
import { LIMIT_CODES, POLICY_ACTIONS, POLICY_REASONS, PROPOSED_POLICY_KINDS, STATEMENT_CHANGES } from '../generate/types.js';
import { AFTER_USE_REASONS, AFTER_USE_SCOPES } from '../generate/removed-after-use.js';
import { EFFECTS } from '../policy/types.js';
import { ENTITY_TYPES, MANAGED_BY, POLICY_KINDS, POLICY_SOURCE_TYPES, PRINCIPAL_TYPES, SUBJECT_KINDS } from '../snapshot/types.js';
import { OUTCOMES } from './recommendation.js';

const str = { type: 'string' } as const;
const int = { type: 'integer', minimum: 0 } as const;
const strings = { type: 'array', items: str } as const;
const policyDocument = { type: 'object', required: ['Version', 'Statement'], properties: { Version: str, Statement: { type: 'array' } } } as const;

const actionSet = {
  type: 'object',
  required: ['wholeServices', 'actions'],
  additionalProperties: false,
  properties: {
    wholeServices: {
      type: 'array',
      items: { type: 'object', required: ['service', 'actions'], additionalProperties: false, properties: { service: str, actions: int } },
    },
    actions: strings,
  },
} as const;

const counts = {
  type: 'object',
  required: ['actions', 'services', 'unknownPatterns'],
  additionalProperties: false,
  properties: { actions: int, services: int, unknownPatterns: int },
} as const;

export const RECOMMENDATION_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://github.com/leastpriv/leastpriv/schemas/recommendation.schema.json',
  title: 'leastpriv recommendation',
  description: 'recommendation.json written by `leastpriv recommend`; reason codes are documented in docs/recommend.md.',
  type: 'object',
  additionalProperties: false,
  allOf: [
    { if: { properties: { subjectKind: { const: 'principal' } } }, then: { required: ['principal'] } },
    { if: { properties: { subjectKind: { const: 'managed-policy' } } }, then: { required: ['managedPolicy'] } },
    { if: { properties: { subjectKind: { const: 'scp' } } }, then: { required: ['scp'] } },
    { if: { properties: { subjectKind: { const: 'organization-entity' } } }, then: { required: ['entity'] } },
  ],
  required: [
    'schemaVersion', 'tool', 'catalogVersion', 'catalogUpdatedAt', 'subjectKind', 'report', 'referenceTime', 'referenceTimeSource', 'thresholdDays',
    'serviceThresholds', 'neverRemove', 'observationWindow', 'outcome', 'summary', 'policies', 'decisions', 'warnings', 'limits', 'inputOverLimits',
  ],
  properties: {
    schemaVersion: { const: 1 },
    tool: { type: 'object', required: ['name', 'version'], properties: { name: { const: 'leastpriv' }, version: str } },
    catalogVersion: str,
    catalogUpdatedAt: str,
    subjectKind: { enum: SUBJECT_KINDS, description: 'what the recommendation is about: `principal` or `managed-policy` (which names the field holding it)' },
    principal: {
      type: 'object',
      required: ['Type', 'Arn', 'Name', 'CreateDate'],
      properties: { Type: { enum: PRINCIPAL_TYPES }, Arn: str, Name: str, CreateDate: str, PermissionsBoundaryArn: str },
    },
    scp: {
      type: 'object',
      description: 'an SCP, its targets and the member accounts it applies to',
      required: ['Id', 'Name', 'AwsManaged', 'OrganizationId', 'RootId', 'ManagementAccountId', 'targets', 'accounts', 'reportEntityPath'],
    },
    entity: {
      type: 'object',
      description: 'a root, OU or account, the member accounts below it and the SCPs attached to it',
      required: ['Path', 'Type', 'Id', 'OrganizationId', 'ManagementAccountId', 'accounts', 'attachedPolicies'],
    },
    managedPolicy: {
      type: 'object',
      required: ['Arn', 'Name', 'ManagedBy', 'DefaultVersionId', 'AttachmentCount', 'PermissionsBoundaryUsageCount', 'versions', 'attachedEntities'],
      properties: {
        Arn: str,
        Name: str,
        ManagedBy: { enum: MANAGED_BY },
        DefaultVersionId: str,
        DefaultVersionCreateDate: str,
        AttachmentCount: int,
        PermissionsBoundaryUsageCount: int,
        versions: {
          type: 'array',
          items: { type: 'object', required: ['VersionId', 'IsDefaultVersion', 'CreateDate'], properties: { VersionId: str, IsDefaultVersion: { type: 'boolean' }, CreateDate: str } },
        },
        attachedEntities: {
          type: 'array',
          items: {
            type: 'object',
            required: ['Type', 'Arn', 'Name', 'CreateDate'],
            properties: {
              Type: { enum: PRINCIPAL_TYPES },
              Arn: str,
              Name: str,
              CreateDate: str,
              Members: { type: 'array', items: { type: 'object', required: ['Name', 'Arn', 'CreateDate'], properties: { Name: str, Arn: str, CreateDate: str } } },
            },
          },
        },
      },
    },
    report: { type: 'object', required: ['JobType', 'JobCreationDate', 'JobCompletionDate'] },
    referenceTime: str,
    referenceTimeSource: { enum: REFERENCE_TIME_SOURCES },
    thresholdDays: { type: 'integer', minimum: 1 },
    serviceThresholds: { type: 'object', additionalProperties: { type: 'integer', minimum: 1 } },
    neverRemove: strings,
    observationWindow: {
      type: 'object',
      required: ['status', 'referenceTime', 'thresholdDays', 'trackingStart', 'dataStart', 'coveredDays'],
      properties: {
        status: { enum: WINDOW_STATUSES },
        shortBecause: { enum: WINDOW_SHORT_BECAUSE },
        coveredDays: int,
        principalCreateDate: str,
        latestStart: {
          type: 'object',
          required: ['kind', 'name', 'createDate', 'field'],
          properties: { kind: { enum: WINDOW_START_KINDS }, name: str, arn: str, group: str, createDate: str, field: str },
        },
      },
    },
    outcome: { enum: OUTCOMES },
    summary: {
      type: 'object',
      required: ['before', 'after', 'servicesRemoved', 'highRiskRemoved', 'highRiskKept', 'removedAfterUse', 'policies'],
      additionalProperties: false,
      properties: {
        before: counts,
        after: counts,
        servicesRemoved: strings,
        highRiskRemoved: strings,
        highRiskKept: {
          type: 'array',
          items: {
            type: 'object',
            required: ['action', 'anyResource', 'policies'],
            additionalProperties: false,
            properties: { action: str, anyResource: { type: 'boolean' }, policies: strings },
          },
        },
        removedAfterUse: {
          type: 'array',
          items: {
            type: 'object',
            required: ['subject', 'scope', 'reason', 'lastAccessed', 'daysUnused', 'beforeTrackingPeriod', 'actions'],
            additionalProperties: false,
            properties: {
              subject: str,
              scope: { enum: AFTER_USE_SCOPES },
              reason: { enum: AFTER_USE_REASONS },
              lastAccessed: str,
              region: str,
              daysUnused: int,
              beforeTrackingPeriod: { type: 'boolean' },
              actions: int,
            },
          },
        },
        policies: {
          type: 'object',
          required: POLICY_ACTIONS,
          additionalProperties: false,
          properties: Object.fromEntries(POLICY_ACTIONS.map((a) => [a, int])),
        },
      },
    },
    policies: {
      type: 'array',
      items: {
        type: 'object',
        required: ['policyName', 'kind', 'source', 'action', 'reason', 'why', 'removed', 'kept', 'keptUnknown', 'keptDespiteUnused', 'statements', 'original', 'proposed', 'introducedWildcards'],
        properties: {
          policyName: str,
          kind: { enum: POLICY_KINDS },
          managedBy: { enum: MANAGED_BY },
          policyArn: str,
          attachmentCount: int,
          defaultVersionId: str,
          defaultVersionCreateDate: str,
          source: { type: 'object', required: ['Type'], properties: { Type: { enum: POLICY_SOURCE_TYPES } } },
          action: { enum: POLICY_ACTIONS },
          reason: { enum: POLICY_REASONS },
          why: str,
          removed: actionSet,
          kept: actionSet,
          keptUnknown: strings,
          keptDespiteUnused: actionSet,
          statements: {
            type: 'array',
            items: {
              type: 'object',
              required: ['index', 'effect', 'change', 'removedActions'],
              properties: { index: int, effect: { enum: EFFECTS }, change: { enum: STATEMENT_CHANGES }, removedActions: int },
            },
          },
          original: policyDocument,
          proposed: {
            type: 'array',
            items: {
              type: 'object',
              required: ['name', 'kind', 'file', 'document', 'size'],
              properties: {
                name: str,
                kind: { enum: PROPOSED_POLICY_KINDS },
                file: { type: 'string', pattern: '^policies/[^/]+\\.json$' },
                document: policyDocument,
                size: int,
                limit: int,
              },
            },
          },
          introducedWildcards: strings,
          evidence: {
            description: 'with reason policy-version-too-recent: the default version the decision rests on',
            type: 'object',
            required: ['field', 'versionId', 'versionCreateDate', 'daysSinceVersion', 'thresholdDays', 'trimmableFrom'],
            additionalProperties: false,
            properties: {
              field: str,
              versionId: str,
              versionCreateDate: str,
              daysSinceVersion: int,
              thresholdDays: { type: 'integer', minimum: 1 },
              trimmableFrom: str,
            },
          },
        },
      },
    },
    decisions: {
      type: 'array',
      items: {
        type: 'object',
        required: ['subject', 'scope', 'verdict', 'reason', 'actionCount', 'evidence'],
        additionalProperties: false,
        properties: {
          subject: str,
          scope: { enum: DECISION_SCOPES },
          verdict: { enum: VERDICTS },
          reason: { enum: [...KEEP_REASONS, ...REMOVE_REASONS] },
          actionCount: int,
          evidence: {
            type: 'object',
            required: ['service', 'thresholdDays'],
            additionalProperties: false,
            properties: {
              service: str,
              serviceName: str,
              action: str,
              field: str,
              lastAccessed: str,
              region: str,
              entity: str,
              accounts: { ...int, description: 'Organizations reports: how many accounts used the service (TotalAuthenticatedEntities)' },
              daysUnused: int,
              thresholdDays: { type: 'integer', minimum: 1 },
            },
          },
        },
      },
    },
    entityUse: {
      description: "only when the report has EntityDetails (a group's): who used each service, in the report's order (most recent use first)",
      type: 'array',
      items: {
        type: 'object',
        required: ['service', 'entities'],
        additionalProperties: false,
        properties: {
          service: str,
          entities: {
            type: 'array',
            items: {
              type: 'object',
              required: ['type', 'arn', 'name'],
              additionalProperties: false,
              properties: { type: { enum: ENTITY_TYPES }, arn: str, name: str, lastAuthenticated: str },
            },
          },
        },
      },
    },
    warnings: {
      type: 'array',
      items: { type: 'object', required: ['code', 'message'], additionalProperties: false, properties: { code: str, message: str } },
    },
    limits: {
      type: 'array',
      items: {
        type: 'object',
        required: ['code', 'message'],
        additionalProperties: false,
        properties: { code: { enum: LIMIT_CODES }, message: str },
      },
    },
    inputOverLimits: {
      description: 'the input documents over AWS size limits as they stand (characters without whitespace): the input cannot be applied as is',
      type: 'array',
      items: {
        type: 'object',
        required: ['kind', 'policyNames', 'size', 'limit'],
        additionalProperties: false,
        properties: { kind: { enum: ['inline-aggregate', 'managed-policy'] }, policyNames: strings, group: str, size: int, limit: int },
      },
    },
  },
} as const;
