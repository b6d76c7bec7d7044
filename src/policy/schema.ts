/**
 * The identity-policy grammar as a JSON Schema (draft-07). The source of truth is this module, so the pure core never
 * reads a file at run time; schemas/policy.schema.json is a copy for other tools, kept equal by a test.
 *
 * Shape choices (string or list, object or list) avoid oneOf so ajv reports one error per place. The two "choice"
 * definitions (actionChoice, resourceChoice) are named so parse.ts can turn ajv's generic oneOf
 * errors into "needs Action or NotAction" / "has both Action and NotAction".
 */
import { EFFECTS, POLICY_VERSIONS } from './types.js';

// String keywords (pattern, minLength) apply only to strings and array keywords only to arrays, so one schema object
// states "a string, or a non-empty list of such strings" without oneOf (whose errors would report both branches).
const stringOrList = (item: Record<string, unknown>): object => ({
  ...item,
  type: ['string', 'array'],
  minItems: 1,
  items: item,
});

// `*`, or `service:action` where either side may carry `*`/`?` wildcards; IAM rejects anything else
const actionPattern = { type: 'string', pattern: '^(\\*|[^:\\s]+:[^:\\s]+)$' };

const resourcePattern = { type: 'string', minLength: 1 };

export const POLICY_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://github.com/leastpriv/leastpriv/schemas/policy.schema.json',
  title: 'AWS IAM identity-based policy document',
  description:
    'The grammar leastpriv accepts for identity policies (managed and inline): Version 2012-10-17 or 2008-10-17 ' +
    '(absent means 2008-10-17), Statement as one object or a list, Action/NotAction and Resource/NotResource as a ' +
    'string or a list. Principal and NotPrincipal belong to resource-based policies and are rejected.',
  type: 'object',
  additionalProperties: false,
  required: ['Statement'],
  properties: {
    Version: { enum: POLICY_VERSIONS },
    Id: { type: 'string' },
    Statement: {
      type: ['object', 'array'],
      items: { $ref: '#/definitions/statement' },
      if: { type: 'object' },
      then: { $ref: '#/definitions/statement' },
    },
  },
  definitions: {
    statement: {
      type: 'object',
      additionalProperties: false,
      required: ['Effect'],
      properties: {
        Sid: { type: 'string' },
        Effect: { enum: EFFECTS },
        Action: stringOrList(actionPattern),
        NotAction: stringOrList(actionPattern),
        Resource: stringOrList(resourcePattern),
        NotResource: stringOrList(resourcePattern),
        Condition: { $ref: '#/definitions/condition' },
      },
      allOf: [{ $ref: '#/definitions/actionChoice' }, { $ref: '#/definitions/resourceChoice' }],
    },
    actionChoice: { oneOf: [{ type: 'object', required: ['Action'] }, { type: 'object', required: ['NotAction'] }] },
    resourceChoice: {
      oneOf: [{ type: 'object', required: ['Resource'] }, { type: 'object', required: ['NotResource'] }],
    },
    condition: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        additionalProperties: {
          type: ['string', 'number', 'boolean', 'array'],
          items: { type: ['string', 'number', 'boolean'] },
        },
      },
    },
  },
} as const;
