import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../emulator/index.js';
import { demoArn, startDemo } from './emulator-harness.js';

/**
 * The real CLI entry point in a process of its own (the SDK's warnings are once per process, and Node prints
 * process warnings itself), on a setup that makes the SDK warn: its stderr carries one line per warning.
 */
const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NODE_MAJOR = Number(process.versions.node.split('.')[0]);

let emulator: RunningEmulator;
let dir: string;

beforeAll(async () => {
  [emulator, dir] = await Promise.all([startDemo(), mkdtemp(join(tmpdir(), 'leastpriv-cli-warnings-'))]);
  await writeFile(join(dir, 'config'), '[profile demo]\nregion = us-east-1\n');
  await writeFile(join(dir, 'credentials'), '[demo]\naws_access_key_id = AKIDDEMO\naws_secret_access_key = not-checked\n');
});
afterAll(async () => {
  await Promise.all([emulator.stop(), rm(dir, { recursive: true, force: true })]);
});

/** `leastpriv ARGS` from the sources, in an environment with nothing of the user's AWS setup */
async function leastpriv(env: Record<string, string>, ...args: string[]) {
  const result = await run(
    process.execPath,
    ['--import', join(ROOT, 'test/support/ts-register.mjs'), join(ROOT, 'src/cli/main.ts'), ...args],
    {
      cwd: ROOT,
      env: { PATH: process.env['PATH'] ?? '', HOME: dir, AWS_EC2_METADATA_DISABLED: 'true', ...env },
      timeout: 60_000,
    },
  );
  return { stdout: result.stdout, stderrLines: result.stderr.split('\n').filter((line) => line !== '') };
}

describe('SDK warnings from the CLI process', () => {
  it('a profile and the key pair both set, and the Node-version notice asked for: one line each', async () => {
    const { stdout, stderrLines } = await leastpriv(
      {
        AWS_CONFIG_FILE: join(dir, 'config'),
        AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
        AWS_PROFILE: 'demo',
        AWS_ACCESS_KEY_ID: 'AKIDFROMENV',
        AWS_SECRET_ACCESS_KEY: 'not-checked',
        // the CLI silences the notice unless asked for it
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'false',
      },
      'collect', '--role-name', 'orders-lambda', '--endpoint-url', emulator.endpoint,
    );
    expect(JSON.parse(stdout)).toMatchObject({ subject: { principal: { Arn: demoArn('role', 'service-role/orders-lambda') } } });
    expect(stderrLines.sort()).toEqual(
      [
        'leastpriv: warning: both AWS_PROFILE and AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY are set; the AWS SDK uses the profile: unset one of them, or choose with --profile',
        // the SDK gives this notice on Node before 22 only
        ...(NODE_MAJOR < 22
          ? [`leastpriv: warning: the AWS SDK for JavaScript will need Node.js >= 22 in its releases published after the first week of January 2027 (this is Node.js ${process.version})`]
          : []),
      ].sort(),
    );
  });
});
