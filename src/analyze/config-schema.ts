/**
 * The `--config` file grammar (draft-07). Source of truth for schemas/config.schema.json, kept equal by a test.
 */
/** sharedPolicies' values, listed once for the schema and AnalysisConfig's type. */
export const SHARED_POLICIES_CHOICES = ['replace', 'keep'] as const;

export const CONFIG_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://github.com/leastpriv/leastpriv/schemas/config.schema.json',
  title: 'leastpriv recommend configuration',
  description:
    'Options for `leastpriv recommend --config FILE`. Every field is optional; command-line flags win over the file.',
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    unusedDays: {
      description: 'Threshold N: a permission unused for more than N days is removable (default 90).',
      type: 'integer',
      minimum: 1,
      maximum: 3650,
    },
    serviceThresholds: {
      description: 'Per-service thresholds in days, keyed by service prefix (e.g. {"s3": 180}).',
      type: 'object',
      propertyNames: { pattern: '^[a-z0-9-]+$' },
      additionalProperties: { type: 'integer', minimum: 1, maximum: 3650 },
    },
    neverRemove: {
      description:
        'Action patterns that are always kept, in addition to iam:PassRole (e.g. "kms:Decrypt", "ssm:GetParameter*"). ' +
        'Case-insensitive; * and ? wildcards.',
      type: 'array',
      items: { type: 'string', pattern: '^(\\*|[A-Za-z0-9-]+:[A-Za-z0-9*?]+)$' },
    },
    neverDeny: {
      description:
        'Service prefixes a deny-list guardrail (recommend --entity-path) never denies, in addition to its defaults ' +
        '(docs/recommend.md lists them: iam, sts, organizations, support, billing, sign-in, audit…).',
      type: 'array',
      items: { type: 'string', pattern: '^[A-Za-z0-9-]+$' },
    },
    trackingPeriodDays: {
      description:
        'How far back AWS keeps last-accessed data before the report job (default 400). Lower it for Regions that ' +
        'began tracking recently.',
      type: 'integer',
      minimum: 1,
      maximum: 400,
    },
    sharedPolicies: {
      description:
        'What to propose when a customer-managed policy that is also attached elsewhere would lose permissions: ' +
        '"replace" (default) detaches it from this principal for a principal-specific copy; "keep" leaves it.',
      enum: SHARED_POLICIES_CHOICES,
    },
  },
} as const;
