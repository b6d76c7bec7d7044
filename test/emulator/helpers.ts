import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { IAMClient } from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { STSClient } from '@aws-sdk/client-sts';
import { expect } from 'vitest';
import { startEmulator, type EmulatorFixture, type EmulatorOptions, type RunningEmulator } from '../../emulator/index.js';

export const SMALL_ACCOUNT_PATH = fileURLToPath(new URL('../../emulator/fixtures/small-account.json', import.meta.url));

export function smallAccount(): EmulatorFixture {
  return JSON.parse(readFileSync(SMALL_ACCOUNT_PATH, 'utf8')) as EmulatorFixture;
}

export const ACCOUNT = '123456789012';
export const APP_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/service/app-role`;
/** access keys of the small account's callers */
export const KEYS = { auditor: 'AKIDAUDITOR', other: 'AKIDOTHER', limited: 'AKIDLIMITED', unknown: 'AKIDUNKNOWN' } as const;

interface ClientOptions {
  accessKeyId?: string;
  /** default 1: the tests look at each reply, retries would hide faults */
  maxAttempts?: number;
}

function config(emulator: RunningEmulator, options: ClientOptions) {
  return {
    endpoint: emulator.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: options.accessKeyId ?? KEYS.auditor, secretAccessKey: 'dummy-secret' },
    maxAttempts: options.maxAttempts ?? 1,
  };
}

export const iamClient = (e: RunningEmulator, o: ClientOptions = {}): IAMClient => new IAMClient(config(e, o));
export const stsClient = (e: RunningEmulator, o: ClientOptions = {}): STSClient => new STSClient(config(e, o));
export const orgClient = (e: RunningEmulator, o: ClientOptions = {}): OrganizationsClient =>
  new OrganizationsClient(config(e, o));

export function startSmall(options: Omit<EmulatorOptions, 'fixture'> = {}): Promise<RunningEmulator> {
  return startEmulator({ fixture: smallAccount(), ...options });
}

/** the error an SDK call rejects with, for assertions on name, message and status */
export async function sdkError(p: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  try {
    await p;
  } catch (e) {
    const err = e as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
}

/** an SDK output without $metadata */
export function body<T extends { $metadata?: unknown }>(out: T): Omit<T, '$metadata'> {
  const { $metadata: _m, ...rest } = out;
  return rest;
}

export interface Page<T> {
  items: T[];
  IsTruncated?: boolean;
  Marker?: string;
}

/** follows IsTruncated/Marker to the end, recording each page's size */
export async function drain<T>(fetch: (marker: string | undefined) => Promise<Page<T>>): Promise<{ all: T[]; sizes: number[] }> {
  const all: T[] = [];
  const sizes: number[] = [];
  let marker: string | undefined;
  do {
    const page = await fetch(marker);
    all.push(...page.items);
    sizes.push(page.items.length);
    marker = page.IsTruncated ? page.Marker : undefined;
    if (page.IsTruncated) expect(page.Marker).toBeTruthy();
  } while (marker);
  return { all, sizes };
}
