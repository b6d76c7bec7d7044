import { Ajv, type ValidateFunction } from 'ajv';
import { inputError } from '../errors.js';
import { AJV_OPTIONS, ajvProblems, problemsLine } from '../snapshot/ajv-errors.js';
import { CONFIG_SCHEMA, type SHARED_POLICIES_CHOICES } from './config-schema.js';

export type SharedPolicies = (typeof SHARED_POLICIES_CHOICES)[number];

/** Permissions AWS never reports in last-accessed data: authorisation-only checks made on behalf of another call. */
export const DEFAULT_NEVER_REMOVE: readonly string[] = ['iam:PassRole'];
export const DEFAULT_UNUSED_DAYS = 90;
/** AWS keeps last-accessed data for at least 400 days before the report job. */
export const DEFAULT_TRACKING_PERIOD_DAYS = 400;

export interface AnalysisConfig {
  readonly unusedDays: number;
  readonly serviceThresholds: Readonly<Record<string, number>>;
  /** always includes DEFAULT_NEVER_REMOVE */
  readonly neverRemove: readonly string[];
  readonly trackingPeriodDays: number;
  readonly sharedPolicies: SharedPolicies;
  /** services a deny-list guardrail never denies, beyond its documented defaults (lower-case prefixes) */
  readonly neverDeny: readonly string[];
}

/** The thresholds of an analysis: the default and the per-service ones (lower-case service prefixes). */
export interface Thresholds {
  readonly unusedDays: number;
  readonly serviceThresholds: Readonly<Record<string, number>>;
}

/**
 * The threshold in days for one service: its serviceThresholds entry, else unusedDays. Service prefixes are
 * case-insensitive; only the map's own entries count, so a service named like an Object property (`constructor`)
 * gets the default, not a function.
 */
export function thresholdDaysOf(thresholds: Thresholds, service: string): number {
  const key = service.toLowerCase();
  return Object.hasOwn(thresholds.serviceThresholds, key) ? (thresholds.serviceThresholds[key] as number) : thresholds.unusedDays;
}

/** The longest threshold any service has. */
export function longestThresholdDays(thresholds: Thresholds): number {
  return Math.max(thresholds.unusedDays, ...Object.values(thresholds.serviceThresholds));
}

/** The config file as written (every field optional). */
export interface ConfigFile {
  unusedDays?: number;
  serviceThresholds?: Record<string, number>;
  neverRemove?: string[];
  trackingPeriodDays?: number;
  sharedPolicies?: SharedPolicies;
  neverDeny?: string[];
}

let compiled: ValidateFunction | undefined;

/** Validates a parsed config file; one-line LeastprivError 'input' naming the JSON path on failure. */
export function validateConfig(json: unknown, label = 'config'): ConfigFile {
  compiled ??= new Ajv(AJV_OPTIONS).compile(CONFIG_SCHEMA);
  if (!compiled(json)) throw inputError(problemsLine(label, ajvProblems(compiled.errors)));
  return json as ConfigFile;
}

/** Merges defaults, the config file and explicit options (explicit wins). */
export function resolveConfig(file: ConfigFile | undefined, overrides: { unusedDays?: number } = {}): AnalysisConfig {
  const neverRemove = [...DEFAULT_NEVER_REMOVE];
  for (const p of file?.neverRemove ?? []) if (!neverRemove.some((q) => q.toLowerCase() === p.toLowerCase())) neverRemove.push(p);
  const serviceThresholds: Record<string, number> = {};
  for (const [k, v] of Object.entries(file?.serviceThresholds ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
    serviceThresholds[k.toLowerCase()] = v;
  }
  return {
    unusedDays: overrides.unusedDays ?? file?.unusedDays ?? DEFAULT_UNUSED_DAYS,
    serviceThresholds,
    neverRemove,
    trackingPeriodDays: file?.trackingPeriodDays ?? DEFAULT_TRACKING_PERIOD_DAYS,
    sharedPolicies: file?.sharedPolicies ?? 'replace',
    neverDeny: [...new Set((file?.neverDeny ?? []).map((s) => s.toLowerCase()))].sort(),
  };
}
