import { awsError } from '../errors.js';

/**
 * IAM returns policy documents URL-encoded (RFC 3986) and the JS SDK v3 does not decode them. We store the decoded
 * object. A document that is already plain JSON (some emulators, hand edits) is accepted as is.
 */
export function decodePolicyDocument(raw: string | undefined, where: string): Record<string, unknown> {
  if (raw === undefined || raw === '') throw awsError(`IAM returned no policy document for ${where}`);
  try {
    const text = raw.trimStart().startsWith('{') ? raw : decodeURIComponent(raw);
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not a JSON object');
    return parsed as Record<string, unknown>;
  } catch (error) {
    throw awsError(`IAM returned a policy document for ${where} that is not URL-encoded JSON`, error);
  }
}
