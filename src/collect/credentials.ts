import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { IAMClientConfig } from '@aws-sdk/client-iam';
import { NoOpLogger } from '@smithy/core/client';
import { CONFIG_PREFIX_SEPARATOR, getHomeDir, loadSharedConfigFiles } from '@smithy/core/config';

/** The SDK's Logger, named through the client config to need no @smithy/types import */
export type SdkLogger = NonNullable<IAMClientConfig['logger']>;

/**
 * Why the default credential chain found nothing. The chain tries every source and throws only its last error
 * ("Could not load credentials from any providers"); each source's own failure is passed to the client's logger
 * (`debug`, prefixed as below) and nowhere else. The trail keeps those lines so the error can name the real cause.
 */
export interface CredentialTrail {
  /** the logger to give the SDK clients */
  logger: SdkLogger;
  /** each credential source's failure, oldest first */
  failures: () => readonly string[];
}

const PROVIDER_FAILURE = '@smithy/property-provider -> ';
const MAX_FAILURES = 50;

export function createCredentialTrail(forward?: SdkLogger): CredentialTrail {
  const failures: string[] = [];
  const record = (first: unknown): void => {
    if (typeof first !== 'string' || !first.startsWith(PROVIDER_FAILURE)) return;
    if (failures.length >= MAX_FAILURES) failures.shift();
    failures.push(first.slice(PROVIDER_FAILURE.length));
  };
  if (forward === undefined) {
    // the SDK itself: several places fall back to console.warn only for a logger that is a NoOpLogger
    const logger = new NoOpLogger();
    logger.debug = (...content: unknown[]) => record(content[0]);
    return { logger, failures: () => failures };
  }
  const logger: SdkLogger = {
    debug: (...content: unknown[]) => {
      record(content[0]);
      forward.debug(...content);
    },
    info: (...content: unknown[]) => forward.info(...content),
    warn: (...content: unknown[]) => forward.warn(...content),
    error: (...content: unknown[]) => forward.error(...content),
  };
  return { logger, failures: () => failures };
}

/** Where the profile name came from, to say which setting to fix. */
export type ProfileChoice = { name: string; from: '--profile' | 'AWS_PROFILE' } | undefined;

export function chosenProfile(profileOption: string | undefined): ProfileChoice {
  if (profileOption !== undefined && profileOption !== '') return { name: profileOption, from: '--profile' };
  const env = process.env['AWS_PROFILE'];
  return env !== undefined && env !== '' ? { name: env, from: 'AWS_PROFILE' } : undefined;
}

interface SharedFiles {
  /** "PATH (AWS_CONFIG_FILE)" or "PATH (the default, not found)": what was read, and why there */
  described: string;
  profiles: Record<string, Record<string, string | undefined>>;
}

/**
 * The one line that says why no credentials were found, from what the SDK's chain reads: the profile asked for, the
 * shared config and credentials files, the environment's key pair, and the sources' own failures.
 */
export async function explainMissingCredentials(profile: ProfileChoice, trail: readonly string[]): Promise<string> {
  const files = await readSharedFiles();
  if (profile !== undefined) {
    const data = files.profiles[profile.name];
    if (data === undefined) {
      const known = Object.keys(files.profiles).sort();
      const listed = known.length > 0 ? `, which define ${known.join(', ')}` : ', which define no profile';
      return `AWS profile ${profile.name} (${profile.from}) not found: read ${files.described}${listed}; check the name or those files`;
    }
    return profileFailure(profile.name, data, trail, files);
  }
  const halfPair = missingHalfOfKeyPair();
  if (halfPair !== undefined) return halfPair;
  const fallback = files.profiles['default'];
  if (fallback !== undefined && Object.keys(fallback).some((key) => CREDENTIAL_KEYS.has(key))) {
    return profileFailure('default', fallback, trail, files);
  }
  return (
    'no AWS credentials found: no AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY in the environment, no profile named ' +
    `(--profile, AWS_PROFILE) and no credentials in a default profile (read ${files.described}), no web identity or ` +
    'container/instance credentials; use --profile NAME, AWS_PROFILE or the key pair'
  );
}

/** the settings through which a profile yields credentials (static keys, a process, SSO, a role, a login session) */
const CREDENTIAL_KEYS = new Set([
  'aws_access_key_id',
  'credential_process',
  'sso_session',
  'sso_start_url',
  'role_arn',
  'web_identity_token_file',
  'login_session',
]);

function profileFailure(
  name: string,
  data: Record<string, string | undefined>,
  trail: readonly string[],
  files: SharedFiles,
): string {
  const command = data['credential_process'];
  if (command !== undefined) {
    const failure = trail.find((line) => line.startsWith('Command failed:') || line.includes('credential_process'));
    return `the credential_process of AWS profile ${name} failed (${processFailure(failure)}); run it yourself to see why: ${command}`;
  }
  if (!Object.keys(data).some((key) => CREDENTIAL_KEYS.has(key))) {
    return `AWS profile ${name} has no credentials (no aws_access_key_id, credential_process, sso_session or role_arn): read ${files.described}`;
  }
  const reason = trail.find((line) => !GENERIC_FAILURES.some((generic) => generic.test(line)));
  return `AWS profile ${name} gave no credentials${reason !== undefined ? `: ${oneLine(reason)}` : ''}`;
}

/** the chain's own "not this source" lines, which say nothing about the profile that was asked for */
const GENERIC_FAILURES = [
  /^AWS_PROFILE is set, skipping/,
  /^Unable to find environment variable credentials/,
  /^Skipping SSO provider/,
  /^Could not load credentials from any providers/,
  /^Profile \S+ did not contain credential_process/,
  /could not be found in shared credentials file/,
  /web identity|WebIdentity|AWS_WEB_IDENTITY_TOKEN_FILE/i,
  /ECS|EC2|metadata|instance/i,
];

/** Node's exec error reads "Command failed: CMD\nSTDERR…": its stderr's first line is the process's own reason */
function processFailure(failure: string | undefined): string {
  if (failure === undefined) return 'no reason given';
  const [first, ...rest] = failure.split('\n');
  // the SDK's own lines about the output: "Profile NAME credential_process returned invalid JSON."
  if (!first?.startsWith('Command failed:')) return oneLine(failure).replace(/^Profile \S+ /, '').replace(/\.$/, '');
  const stderr = rest.find((line) => line.trim() !== '');
  return stderr !== undefined ? `it exited with an error; its stderr begins: ${stderr.trim()}` : 'it exited with an error and printed nothing on stderr';
}

function missingHalfOfKeyPair(): string | undefined {
  const set = (name: string) => (process.env[name] ?? '') !== '';
  const key = set('AWS_ACCESS_KEY_ID');
  const secret = set('AWS_SECRET_ACCESS_KEY');
  if (key === secret) return undefined;
  const [present, missing] = key ? ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] : ['AWS_SECRET_ACCESS_KEY', 'AWS_ACCESS_KEY_ID'];
  return `${present} is set but ${missing} is not: set both (or neither, to use a profile)`;
}

/** The files the SDK reads, resolved as it resolves them (its loader, its home directory). */
async function readSharedFiles(): Promise<SharedFiles> {
  const config = sharedFile('AWS_CONFIG_FILE', 'config');
  const credentials = sharedFile('AWS_SHARED_CREDENTIALS_FILE', 'credentials');
  const [loaded, configText, credentialsText] = await Promise.all([
    loadSharedConfigFiles({ filepath: credentials.path, configFilepath: config.path }),
    describeFile(config),
    describeFile(credentials),
  ]);
  const profiles: SharedFiles['profiles'] = {};
  // config sections other than profiles (sso-session, services) are keyed "kind.name"
  for (const [name, data] of [...Object.entries(loaded.configFile), ...Object.entries(loaded.credentialsFile)]) {
    if (!name.includes(CONFIG_PREFIX_SEPARATOR)) profiles[name] = { ...profiles[name], ...data };
  }
  return { described: `${configText} and ${credentialsText}`, profiles };
}

interface SharedFile {
  path: string;
  env?: string;
}

function sharedFile(env: string, name: string): SharedFile {
  const value = process.env[env];
  return value !== undefined && value !== '' ? { path: value, env } : { path: join(getHomeDir(), '.aws', name) };
}

async function describeFile(file: SharedFile): Promise<string> {
  const found = await access(file.path).then(
    () => true,
    () => false,
  );
  const why = file.env ?? 'the default';
  return `${file.path} (${why}${found ? '' : ', not found'})`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
