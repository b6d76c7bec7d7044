import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseTimeout, splitLiveArgs } from '../../src/cli/commands/live-options.js';
import { createAwsClients, DEFAULT_MAX_ATTEMPTS, destroyAwsClients } from '../../src/collect/clients.js';

describe('live flags', () => {
  it('splits the live flags (both spellings) from the offline recommend flags, keeping order', () => {
    expect(
      splitLiveArgs(['--role-arn', 'A', '--out', 'd', '--timeout=5m', '--format', 'json', '--profile', 'p', '--detailed-exitcode']),
    ).toEqual({ live: ['--role-arn', 'A', '--timeout=5m', '--profile', 'p'], rest: ['--out', 'd', '--format', 'json', '--detailed-exitcode'] });
  });

  it.each([
    ['600', 600_000],
    ['90s', 90_000],
    ['10m', 600_000],
    ['1h', 3_600_000],
    ['250ms', 250],
  ])('--timeout %s is %i ms', (text, ms) => expect(parseTimeout(text)).toBe(ms));

  it.each(['0', '-5', '5x', '1.5m', ''])('--timeout %j is a usage error', (text) =>
    expect(() => parseTimeout(text)).toThrow(`--timeout: ${JSON.stringify(text)} is not a duration such as 600, 90s or 10m`),
  );
});

describe('createAwsClients: AWS CLI conventions', () => {
  const saved = { ...process.env };
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'leastpriv-clients-'));
    for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) delete process.env[k];
    process.env['AWS_CONFIG_FILE'] = join(dir, 'config');
    process.env['AWS_SHARED_CREDENTIALS_FILE'] = join(dir, 'credentials');
    await writeFile(join(dir, 'config'), '[default]\n[profile paris]\nregion = eu-west-3\n');
  });
  afterEach(async () => {
    process.env = { ...saved };
    await rm(dir, { recursive: true, force: true });
  });

  async function regionOf(options: Parameters<typeof createAwsClients>[0]): Promise<string> {
    const clients = await createAwsClients(options);
    destroyAwsClients(clients);
    expect(await clients.sts.config.region()).toBe(clients.region);
    return clients.region;
  }

  it('resolves the region: flag, AWS_REGION, AWS_DEFAULT_REGION, profile, then us-east-1', async () => {
    expect(await regionOf({})).toBe('us-east-1');
    expect(await regionOf({ profile: 'paris' })).toBe('eu-west-3');
    process.env['AWS_DEFAULT_REGION'] = 'ap-south-1';
    expect(await regionOf({ profile: 'paris' })).toBe('ap-south-1');
    process.env['AWS_REGION'] = 'ca-central-1';
    expect(await regionOf({ profile: 'paris' })).toBe('ca-central-1');
    expect(await regionOf({ region: 'sa-east-1' })).toBe('sa-east-1');
  });

  /** the resolved client config holds a value or a provider, depending on the setting */
  const resolved = async (value: unknown): Promise<unknown> => (typeof value === 'function' ? await (value as () => unknown)() : value);

  it('retries governed (one rate governor for the three clients) with enough attempts, unless AWS_* says otherwise', async () => {
    const defaults = await createAwsClients({ region: 'us-east-1' });
    expect(await resolved(defaults.iam.config.maxAttempts)).toBe(DEFAULT_MAX_ATTEMPTS);
    expect(await resolved(defaults.sts.config.retryMode)).toBe('governed');
    expect(defaults.governor).toBeDefined();
    destroyAwsClients(defaults);
    process.env['AWS_MAX_ATTEMPTS'] = '4';
    process.env['AWS_RETRY_MODE'] = 'standard';
    const configured = await createAwsClients({ region: 'us-east-1' });
    expect(await resolved(configured.iam.config.maxAttempts)).toBe(4);
    expect(await resolved(configured.iam.config.retryMode)).toBe('standard');
    // the SDK's own modes are left as the SDK makes them
    expect(configured.governor).toBeUndefined();
    destroyAwsClients(configured);
  });
});
