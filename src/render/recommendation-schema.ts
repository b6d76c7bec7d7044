/**
 * The recommendation.json grammar (draft-07). Source of truth for schemas/recommendation.schema.json, kept equal by
 * test/recommend/schemas.test.ts, which also validates every committed example against it.
 */
const str = { type: 'string' } as const;
const int = { type: 'integer', minimum: 0 } as const;
const strings = { type: 'array', items: str } as const;
const policyDocument = { type: 'object', required: ['Version', 'Statement'], properties: { Version: str, Statement: { type: 'array' } } } as const;

const KEEP_REASONS = [
  'action-used',
  'action-not-tracked',
  'service-used-no-action-data',
  'service-not-in-report',
  'never-remove',
  'unknown-action',
  'observation-window-too-short',
] as const;
const REMOVE_REASONS = ['service-never-used', 'service-unused', 'action-never-used', 'action-unused'] as const;
const POLICY_REASONS = [
  'nothing-removed',
  'observation-window-too-short',
  'policy-version-too-recent',
  'inline-trimmed',
  'customer-managed-new-version',
  'shared-policy-replaced',
  'shared-policy-kept',
  'aws-managed-replaced',
  'group-policy-kept',
  'no-statement-left',
  'size-limit-kept-original',
] as const;

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
  required: [
    'schemaVersion', 'tool', 'catalogVersion', 'catalogUpdatedAt', 'principal', 'report', 'referenceTime', 'referenceTimeSource', 'thresholdDays',
    'serviceThresholds', 'neverRemove', 'observationWindow', 'outcome', 'summary', 'policies', 'decisions', 'warnings', 'limits', 'inputOverLimits',
  ],
  properties: {
    schemaVersion: { const: 1 },
    tool: { type: 'object', required: ['name', 'version'], properties: { name: { const: 'leastpriv' }, version: str } },
    catalogVersion: str,
    catalogUpdatedAt: str,
    principal: {
      type: 'object',
      required: ['Type', 'Arn', 'Name', 'CreateDate'],
      properties: { Type: { enum: ['role', 'user', 'group'] }, Arn: str, Name: str, CreateDate: str, PermissionsBoundaryArn: str },
    },
    report: { type: 'object', required: ['JobType', 'JobCreationDate', 'JobCompletionDate'] },
    referenceTime: str,
    referenceTimeSource: { enum: ['JobCompletionDate', 'as-of'] },
    thresholdDays: { type: 'integer', minimum: 1 },
    serviceThresholds: { type: 'object', additionalProperties: { type: 'integer', minimum: 1 } },
    neverRemove: strings,
    observationWindow: {
      type: 'object',
      required: ['status', 'referenceTime', 'thresholdDays', 'principalCreateDate', 'trackingStart', 'dataStart', 'coveredDays'],
      properties: {
        status: { enum: ['sufficient', 'too-short'] },
        shortBecause: { enum: ['principal-younger-than-threshold', 'tracking-period-shorter-than-threshold'] },
        coveredDays: int,
      },
    },
    outcome: { enum: ['reductions-recommended', 'no-change', 'observation-window-too-short'] },
    summary: {
      type: 'object',
      required: ['before', 'after', 'servicesRemoved', 'highRiskRemoved', 'policies'],
      additionalProperties: false,
      properties: {
        before: counts,
        after: counts,
        servicesRemoved: strings,
        highRiskRemoved: strings,
        policies: {
          type: 'object',
          required: ['keep', 'update', 'replace', 'remove'],
          additionalProperties: false,
          properties: { keep: int, update: int, replace: int, remove: int },
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
          kind: { enum: ['inline', 'managed'] },
          managedBy: { enum: ['customer', 'aws'] },
          policyArn: str,
          attachmentCount: int,
          defaultVersionId: str,
          defaultVersionCreateDate: str,
          source: { type: 'object', required: ['Type'], properties: { Type: { enum: ['principal', 'group'] } } },
          action: { enum: ['keep', 'update', 'replace', 'remove'] },
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
              properties: { index: int, effect: { enum: ['Allow', 'Deny'] }, change: { enum: ['unchanged', 'narrowed', 'dropped'] }, removedActions: int },
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
                kind: { enum: ['inline', 'customer-managed', 'aws-managed'] },
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
          scope: { enum: ['service', 'action', 'pattern'] },
          verdict: { enum: ['keep', 'remove'] },
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
              daysUnused: int,
              thresholdDays: { type: 'integer', minimum: 1 },
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
        properties: { code: { enum: ['inline-aggregate-exceeded', 'managed-policy-too-large', 'managed-policy-quota'] }, message: str },
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
