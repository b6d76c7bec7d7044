import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../emulator/index.js';
import { AJV_OPTIONS } from '../../src/snapshot/ajv-errors.js';
import { SNAPSHOT_SCHEMA } from '../../src/snapshot/schema.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import { runCli, useEnvironmentCredentials, type CliRun } from '../support/cli.js';
import { demoArn, startDemo, serviceReport } from './emulator-harness.js';

const FLEET = demoArn('policy', 'fleet-operations');

let emulator: RunningEmulator;
let dir: string;
let restoreEnvironment: () => void;
const schemaValid = new Ajv({ ...AJV_OPTIONS, discriminator: true, strictRequired: false, allowUnionTypes: true }).compile(SNAPSHOT_SCHEMA);

beforeAll(async () => {
  [emulator, dir] = await Promise.all([startDemo(), mkdtemp(join(tmpdir(), 'leastpriv-cli-policy-'))]);
  restoreEnvironment = useEnvironmentCredentials();
});
afterAll(async () => {
  restoreEnvironment();
  await Promise.all([emulator.stop(), rm(dir, { recursive: true, force: true })]);
});

const run = (...argv: string[]): Promise<CliRun> => runCli(argv);

const aws = (): string[] => ['--endpoint-url', emulator.endpoint, '--region', 'us-east-1'];
const callsServed = (): number => Object.values(emulator.stats().calls).reduce((a, b) => a + b, 0);

describe('leastpriv collect / recommend --policy-arn', () => {
  it('collect --policy-arn --snapshot-out writes the snapshot and says what it holds in one line', async () => {
    const file = join(dir, 'fleet.json');
    const result = await run('collect', '--policy-arn', FLEET, ...aws(), '--snapshot-out', file);
    const json = JSON.parse(await readFile(file, 'utf8')) as Snapshot;
    expect(schemaValid(json), JSON.stringify(schemaValid.errors)).toBe(true);
    if (json.subject.Kind !== 'managed-policy') throw new Error('expected a managed-policy subject');
    expect(json.subject.attachedEntities.map((e) => e.Name)).toEqual(['batch-worker', 'web-frontend', 'oncall']);
    expect(result).toEqual({
      code: 0,
      stdout: '',
      stderr: `collected ${FLEET}: attached to 3 entities, ${serviceReport(json).ServicesLastAccessed.length} services in the report; wrote ${file}\n`,
    });
  });

  it('collect --policy-arn without --snapshot-out prints the snapshot JSON, an AWS-managed policy too', async () => {
    const arn = 'arn:aws:iam::aws:policy/AdministratorAccess';
    const result = await run('collect', `--policy-arn=${arn}`, ...aws());
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(result.stdout)).toMatchObject({ subject: { Kind: 'managed-policy', policy: { PolicyArn: arn, ManagedBy: 'aws' } } });
  });

  it('a missing policy is one line naming the account', async () => {
    const arn = demoArn('policy', 'ghost');
    expect(await run('collect', '--policy-arn', arn, ...aws())).toEqual({
      code: 1,
      stdout: '',
      stderr: `leastpriv: error: managed policy ${arn} not found in account 111122223333\n`,
    });
  });

  it.each([
    [['collect', '--policy-arn', 'fleet-operations'], '--policy-arn: "fleet-operations" is not an ARN: managed policies are named by ARN, arn:aws:iam::<account-id>:policy/<path><name>'],
    [
      ['collect', '--policy-arn', 'arn:aws:iam::1234:policy/x'],
      '--policy-arn: "arn:aws:iam::1234:policy/x" is not a managed policy ARN such as arn:aws:iam::111122223333:policy/NAME or arn:aws:iam::aws:policy/NAME',
    ],
    [['collect', '--policy-arn', demoArn('role', 'fleet/batch-worker')], `--policy-arn: "${demoArn('role', 'fleet/batch-worker')}" is a role ARN: use --role-arn`],
    [['recommend', '--policy-arn', demoArn('user', 'erin')], `--policy-arn: "${demoArn('user', 'erin')}" is a user ARN: use --user-arn`],
    [['collect', '--policy-arn', demoArn('group', 'oncall')], `--policy-arn: "${demoArn('group', 'oncall')}" is a group ARN: use --group-arn`],
    [['collect', '--role-arn', FLEET], `--role-arn: "${FLEET}" is a managed policy ARN: use --policy-arn`],
    [['recommend', '--user-arn', FLEET], `--user-arn: "${FLEET}" is a managed policy ARN: use --policy-arn`],
    [['collect', '--group-name', FLEET], `--group-name: "${FLEET}" is a managed policy ARN: use --policy-arn`],
    [['collect', '--policy-arn', FLEET, '--role-name', 'a'], 'collect: give only one of --role-name, --policy-arn'],
    [['collect', '--policy-arn'], 'collect: --policy-arn needs a value'],
    [['recommend', '--policy-arn', FLEET, '--snapshot', 'x.json'], 'recommend: --snapshot reads a saved snapshot; it cannot be combined with a flag naming what to collect (--role-arn, --policy-arn, …)'],
  ])('usage error before any call %j', async (argv, message) => {
    const before = callsServed();
    const result = await run(...argv, ...aws());
    expect(result).toEqual({ code: 1, stdout: '', stderr: `leastpriv: error: ${message} (see 'leastpriv --help')\n` });
    expect(callsServed()).toBe(before);
  });

  it("recommend --policy-arn checks the output folder named after the policy before any call", async () => {
    const out = join(dir, 'out');
    await mkdir(join(out, 'fleet-operations'), { recursive: true });
    await writeFile(join(out, 'fleet-operations', 'notes.txt'), 'mine\n');
    const before = callsServed();
    const result = await run('recommend', '--policy-arn', FLEET, ...aws(), '--out', out);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^leastpriv: error: .*fleet-operations.*\n$/);
    expect(result.stderr).not.toContain('\n    at ');
    expect(callsServed()).toBe(before);
    expect(await readdir(join(out, 'fleet-operations'))).toEqual(['notes.txt']);
  });

  it.each([['collect'], ['recommend']])('%s --help lists --policy-arn', async (command) => {
    const result = await run(command, '--help');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ {2}--policy-arn ARN {7}\S/m);
  });
});
