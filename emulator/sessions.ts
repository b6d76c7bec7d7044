import { createHash } from 'node:crypto';
import type { Caller } from './account.js';

/**
 * Temporary credentials handed out by sts:AssumeRole. The keys are derived from the seed and a counter, so the same
 * call sequence gets the same keys; a request signed with one is served as the session's caller.
 */
export interface SessionKeys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

export class SessionStore {
  private readonly callers = new Map<string, Caller>();
  private counter = 0;

  constructor(private readonly seed: number) {}

  create(caller: Caller): SessionKeys {
    this.counter++;
    const d = digest(`session:${this.seed}:${this.counter}`);
    // AWS temporary access key ids: ASIA + 16 upper-case base32 characters
    let accessKeyId = 'ASIA';
    for (let i = 0; accessKeyId.length < 20; i++) accessKeyId += KEY_ALPHABET[(d[i] ?? 0) % 32];
    const secretAccessKey = digest(`secret:${accessKeyId}`).toString('base64').slice(0, 40);
    const sessionToken = Buffer.concat([digest(`token:${accessKeyId}`), digest(`token2:${accessKeyId}`)]).toString('base64');
    this.callers.set(accessKeyId, caller);
    return { accessKeyId, secretAccessKey, sessionToken };
  }

  callerOf(accessKeyId: string): Caller | undefined {
    return this.callers.get(accessKeyId);
  }
}
