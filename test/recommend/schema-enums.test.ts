/**
 * Each code list exists once, as an `as const` array: the TypeScript union is derived from it, and the JSON Schema's
 * enum is that very array, so a code added to the type is in the schema too (and the other way round).
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { CONFIG_SCHEMA, SHARED_POLICIES_CHOICES } from '../../src/analyze/config-schema.js';
import type { SharedPolicies } from '../../src/analyze/config.js';
import {
  DECISION_SCOPES,
  KEEP_REASONS,
  REFERENCE_TIME_SOURCES,
  REMOVE_REASONS,
  VERDICTS,
  WINDOW_SHORT_BECAUSE,
  WINDOW_STATUSES,
  type Verdict,
} from '../../src/analyze/types.js';
import { LIMIT_CODES, POLICY_ACTIONS, POLICY_REASONS, PROPOSED_POLICY_KINDS, STATEMENT_CHANGES } from '../../src/generate/types.js';
import { POLICY_SCHEMA } from '../../src/policy/schema.js';
import { EFFECTS, POLICY_VERSIONS } from '../../src/policy/types.js';
import { OUTCOMES } from '../../src/render/recommendation.js';
import { RECOMMENDATION_SCHEMA } from '../../src/render/recommendation-schema.js';
import {
  ENTITY_TYPES,
  MANAGED_BY,
  POLICY_KINDS,
  POLICY_SOURCE_TYPES,
  PRINCIPAL_TYPES,
  type PolicySource,
  type SnapshotPolicy,
} from '../../src/snapshot/types.js';

const r = RECOMMENDATION_SCHEMA.properties;
const policy = r.policies.items.properties;
const decision = r.decisions.items.properties;

describe('schema enums are the lists the types derive from', () => {
  it.each([
    ['principal.Type', r.principal.properties.Type.enum, PRINCIPAL_TYPES],
    ['referenceTimeSource', r.referenceTimeSource.enum, REFERENCE_TIME_SOURCES],
    ['observationWindow.status', r.observationWindow.properties.status.enum, WINDOW_STATUSES],
    ['observationWindow.shortBecause', r.observationWindow.properties.shortBecause.enum, WINDOW_SHORT_BECAUSE],
    ['outcome', r.outcome.enum, OUTCOMES],
    ['summary.policies', r.summary.properties.policies.required, POLICY_ACTIONS],
    ['policies[].kind', policy.kind.enum, POLICY_KINDS],
    ['policies[].managedBy', policy.managedBy.enum, MANAGED_BY],
    ['policies[].source.Type', policy.source.properties.Type.enum, POLICY_SOURCE_TYPES],
    ['policies[].action', policy.action.enum, POLICY_ACTIONS],
    ['policies[].reason', policy.reason.enum, POLICY_REASONS],
    ['policies[].statements[].effect', policy.statements.items.properties.effect.enum, EFFECTS],
    ['policies[].statements[].change', policy.statements.items.properties.change.enum, STATEMENT_CHANGES],
    ['policies[].proposed[].kind', policy.proposed.items.properties.kind.enum, PROPOSED_POLICY_KINDS],
    ['decisions[].scope', decision.scope.enum, DECISION_SCOPES],
    ['decisions[].verdict', decision.verdict.enum, VERDICTS],
    ['limits[].code', r.limits.items.properties.code.enum, LIMIT_CODES],
    ['entityUse[].entities[].type', r.entityUse.items.properties.entities.items.properties.type.enum, ENTITY_TYPES],
    ['policy Effect', POLICY_SCHEMA.definitions.statement.properties.Effect.enum, EFFECTS],
    ['policy Version', POLICY_SCHEMA.properties.Version.enum, POLICY_VERSIONS],
    ['config sharedPolicies', CONFIG_SCHEMA.properties.sharedPolicies.enum, SHARED_POLICIES_CHOICES],
  ])('%s', (_, schemaList, list) => {
    expect(schemaList).toBe(list);
  });

  it('a decision reason is a keep reason or a remove reason, in that order', () => {
    expect(decision.reason.enum).toEqual([...KEEP_REASONS, ...REMOVE_REASONS]);
  });

  it('summary.policies counts every policy action and nothing else', () => {
    expect(Object.keys(r.summary.properties.policies.properties)).toEqual([...POLICY_ACTIONS]);
  });

  it('the lists of discriminants name every member of their union (checked by the typecheck)', () => {
    expectTypeOf<(typeof VERDICTS)[number]>().toEqualTypeOf<Verdict['verdict']>();
    expectTypeOf<(typeof POLICY_KINDS)[number]>().toEqualTypeOf<SnapshotPolicy['Kind']>();
    expectTypeOf<(typeof POLICY_SOURCE_TYPES)[number]>().toEqualTypeOf<PolicySource['Type']>();
    expectTypeOf<(typeof SHARED_POLICIES_CHOICES)[number]>().toEqualTypeOf<SharedPolicies>();
  });
});
