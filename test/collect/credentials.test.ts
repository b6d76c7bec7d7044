import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { collectSnapshot } from '../../src/collect/collect-snapshot.js';
import { failureOf } from './emulator-harness.js';

/**
 * Why the default credential chain found nothing, said in one line. Every case runs the CLI in-process on config and
 * credentials files of its own (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE) or an empty HOME: the real ~/.aws is
 * never read, and the instance metadata service is never asked (AWS_EC2_METADATA_DISABLED). Credentials are resolved
 * before any request, so the endpoint (a closed port) is never reached.
 */
let dir: string;
let config: string;
let credentials: string;
let home: string;
const saved = { ...process.env };

const CONFIG = [
  '[profile audit]',
  'region = us-east-1',
  '[profile broken-helper]',
  // a credential helper that fails the way they do: a reason on stderr, a non-zero exit
  `credential_process = sh -c "echo 'token expired: run login-helper' >&2; echo more detail >&2; exit 3"`,
  '[profile bad-output]',
  'credential_process = echo not-json',
  '[profile region-only]',
  'region = eu-west-1',
  '',
].join('\n');
const CREDENTIALS = '[audit]\naws_access_key_id = AKIDAUDIT\naws_secret_access_key = not-checked\n';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'leastpriv-credentials-'));
  config = join(dir, 'config');
  credentials = join(dir, 'credentials');
  home = join(dir, 'home');
  await Promise.all([writeFile(config, CONFIG), writeFile(credentials, CREDENTIALS), mkdir(home)]);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

beforeEach(() => {
  for (const name of Object.keys(process.env)) if (name.startsWith('AWS_')) delete process.env[name];
  process.env['HOME'] = home;
  process.env['AWS_EC2_METADATA_DISABLED'] = 'true';
});
afterEach(() => {
  process.env = { ...saved };
});

const useFiles = (): void => {
  process.env['AWS_CONFIG_FILE'] = config;
  process.env['AWS_SHARED_CREDENTIALS_FILE'] = credentials;
};
const READ_FILES = (): string => `read ${config} (AWS_CONFIG_FILE) and ${credentials} (AWS_SHARED_CREDENTIALS_FILE)`;

async function collectError(...extra: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const argv = ['collect', '--role-name', 'app', '--region', 'us-east-1', '--endpoint-url', 'http://127.0.0.1:9', ...extra];
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe('no credentials: the line says which setting to fix', () => {
  it('--profile naming a profile that is in neither file names both files and the profiles they define', async () => {
    useFiles();
    expect(await collectError('--profile', 'nosuch')).toEqual({
      code: 1,
      stdout: '',
      stderr:
        `leastpriv: error: AWS profile nosuch (--profile) not found: ${READ_FILES()}, ` +
        'which define audit, bad-output, broken-helper, region-only; check the name or those files\n',
    });
  });

  it('AWS_PROFILE naming a missing profile says AWS_PROFILE, and which default files were read', async () => {
    process.env['AWS_PROFILE'] = 'nosuch';
    const result = await collectError();
    expect(result.stderr).toBe(
      `leastpriv: error: AWS profile nosuch (AWS_PROFILE) not found: read ${join(home, '.aws', 'config')} (the default, not found) ` +
        `and ${join(home, '.aws', 'credentials')} (the default, not found), which define no profile; check the name or those files\n`,
    );
  });

  it('a failing credential_process: its stderr\'s first line, and the command to run', async () => {
    useFiles();
    const result = await collectError('--profile', 'broken-helper');
    expect(result.stderr).toBe(
      'leastpriv: error: the credential_process of AWS profile broken-helper failed (it exited with an error; its stderr begins: ' +
        `token expired: run login-helper); run it yourself to see why: sh -c "echo 'token expired: run login-helper' >&2; echo more detail >&2; exit 3"\n`,
    );
  });

  it('a credential_process whose output is not credentials says so', async () => {
    useFiles();
    const result = await collectError('--profile', 'bad-output');
    expect(result.stderr).toBe(
      'leastpriv: error: the credential_process of AWS profile bad-output failed (credential_process returned invalid JSON);' +
        ' run it yourself to see why: echo not-json\n',
    );
  });

  it('a profile without any credential setting says so', async () => {
    useFiles();
    const result = await collectError('--profile', 'region-only');
    expect(result.stderr).toBe(
      'leastpriv: error: AWS profile region-only has no credentials (no aws_access_key_id, credential_process, sso_session or role_arn): ' +
        `${READ_FILES()}\n`,
    );
  });

  it.each([
    ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'],
    ['AWS_SECRET_ACCESS_KEY', 'AWS_ACCESS_KEY_ID'],
  ])('only %s of the key pair in the environment names %s as missing', async (present, missing) => {
    useFiles();
    process.env[present] = 'AKIDHALF';
    const result = await collectError();
    expect(result.stderr).toBe(`leastpriv: error: ${present} is set but ${missing} is not: set both (or neither, to use a profile)\n`);
  });

  it('nothing anywhere: what was looked at, and the three ways to give credentials', async () => {
    const result = await collectError();
    expect(result.stderr).toBe(
      'leastpriv: error: no AWS credentials found: no AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY in the environment, no profile named ' +
        `(--profile, AWS_PROFILE) and no credentials in a default profile (read ${join(home, '.aws', 'config')} (the default, not found) ` +
        `and ${join(home, '.aws', 'credentials')} (the default, not found)), no web identity or container/instance credentials; ` +
        'use --profile NAME, AWS_PROFILE or the key pair\n',
    );
  });

  it('explicit credentials that fail keep the provider\'s own message (nothing to diagnose in the files)', async () => {
    const failing = async () => {
      throw Object.assign(new Error('the vault is sealed'), { name: 'CredentialsProviderError' });
    };
    const error = await failureOf(
      collectSnapshot({
        principal: { type: 'role', name: 'app' },
        region: 'us-east-1',
        endpoint: 'http://127.0.0.1:9',
        credentials: failing,
      }),
    );
    expect(error).toEqual({
      kind: 'aws',
      message: 'no AWS credentials found (use --profile, AWS_PROFILE or the default credential chain): the vault is sealed',
    });
  });
});
