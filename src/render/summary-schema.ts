/**
 * The summary.json grammar (draft-07). Source of truth for schemas/summary.schema.json (written by `npm run
 * examples`, kept equal by test/recommend/schemas.test.ts). Enums come from the `as const` lists the types use.
 */
import { ACCOUNT_STATUSES, SKIP_REASONS, SUBJECT_STATUSES } from '../batch/types.js';
import { SUBJECT_KINDS } from '../batch/layout.js';
import { OUTCOMES } from './recommendation.js';
import { SUMMARY_SCHEMA_ID, SUMMARY_SCHEMA_VERSION, SUMMARY_WRITTEN_BY } from './summary.js';

const str = { type: 'string' } as const;
const int = { type: 'integer', minimum: 0 } as const;
const strings = { type: 'array', items: str } as const;
const accountId = { type: 'string', pattern: '^(\\d{12})?$' } as const;

const TOTALS = ['subjects', 'reduced', 'unchanged', 'collected', 'failed', 'skipped', 'interrupted', 'actionsBefore', 'actionsAfter', 'accountsFailed'] as const;

const subject = {
  type: 'object',
  additionalProperties: false,
  required: ['account', 'kind', 'name', 'arn', 'status'],
  properties: {
    account: accountId,
    kind: { enum: SUBJECT_KINDS },
    name: str,
    arn: str,
    status: { enum: SUBJECT_STATUSES },
    folder: { type: 'string', description: 'the folder written, relative to summary.json' },
    outcome: { enum: OUTCOMES },
    actionsBefore: int,
    actionsAfter: int,
    servicesRemoved: strings,
    highRiskRemoved: strings,
    error: { type: 'string', description: 'one line' },
    reason: { enum: SKIP_REASONS },
  },
  allOf: [
    {
      if: { properties: { status: { const: 'recommended' } } },
      then: { required: ['folder', 'outcome', 'actionsBefore', 'actionsAfter', 'servicesRemoved', 'highRiskRemoved'] },
    },
    { if: { properties: { status: { const: 'failed' } } }, then: { required: ['error'] } },
    { if: { properties: { status: { const: 'skipped' } } }, then: { required: ['reason'] } },
  ],
} as const;

export const SUMMARY_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: SUMMARY_SCHEMA_ID,
  title: 'leastpriv account-wide summary',
  description: 'summary.json written by an account-wide `leastpriv recommend` (--all-roles …, --snapshot-dir); docs/recommend.md.',
  type: 'object',
  additionalProperties: false,
  required: ['$schema', 'schemaVersion', 'writtenBy', 'tool', 'perAccount', 'interrupted', 'totals', 'accounts', 'subjects'],
  properties: {
    $schema: { const: SUMMARY_SCHEMA_ID },
    schemaVersion: { const: SUMMARY_SCHEMA_VERSION },
    writtenBy: { const: SUMMARY_WRITTEN_BY },
    tool: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'version'],
      properties: { name: { const: 'leastpriv' }, version: str },
    },
    perAccount: { type: 'boolean', description: 'folders are <account-id>/<kind>/<name>/ (--accounts, --organization)' },
    interrupted: { type: 'boolean' },
    totals: {
      type: 'object',
      additionalProperties: false,
      required: TOTALS,
      properties: Object.fromEntries(TOTALS.map((t) => [t, int])),
    },
    accounts: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['account', 'status'],
        properties: { account: accountId, status: { enum: ACCOUNT_STATUSES }, error: str },
        if: { properties: { status: { const: 'failed' } } },
        then: { required: ['error'] },
      },
    },
    subjects: { type: 'array', items: subject },
  },
} as const;
