import { describe, expect, it } from 'vitest';
import { oneLineWarning, warningLines } from '../../src/cli/warnings.js';

describe('SDK warnings on the command line', () => {
  it('each route (process.emitWarning, console.warn, the logger) gives one line, said once', async () => {
    const lines: string[] = [];
    const warnings = warningLines((line) => lines.push(line), { profileFlag: false });
    await warnings.capture(async () => {
      process.emitWarning('SomeWarning: first line\nsecond line\n\nanother paragraph');
      console.warn('@smithy/some-package - someFunction WARN - a notice\n  spread over\n  lines');
      warnings.logger.warn('@aws-sdk/x - y WARNING:\n    from the logger');
      warnings.logger.warn('@aws-sdk/x - y WARNING:\n    from the logger');
      // the logger's other levels are the SDK's call logs: the CLI says its errors itself
      warnings.logger.error({ name: 'Throttling' });
      warnings.logger.info({ commandName: 'GetRoleCommand' });
    });
    expect(lines).toEqual([
      'leastpriv: warning: a notice spread over lines',
      'leastpriv: warning: from the logger',
      'leastpriv: warning: SomeWarning: first line second line',
    ]);
  });

  it('puts console.warn and the process\'s warning listeners back afterwards, even when the work fails', async () => {
    const consoleWarn = console.warn;
    const listeners = process.listeners('warning');
    await expect(warningLines(() => {}, { profileFlag: false }).capture(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(console.warn).toBe(consoleWarn);
    expect(process.listeners('warning')).toEqual(listeners);
  });

  it.each([
    [
      '@aws-sdk/credential-provider-node - defaultProvider::fromEnv WARNING:\n    Multiple credential sources detected: \n' +
        '    Both AWS_PROFILE and the pair AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY static credentials are set.\n',
      'both AWS_PROFILE and AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY are set; the AWS SDK uses the profile: unset one of them, or choose with --profile',
    ],
    [
      'NodeVersionSupportWarning: The AWS SDK for JavaScript (v3)\nversions published after the first week of January 2027\n' +
        'will require node >=22. You are running node v20.0.0.\n\nTo continue receiving updates …',
      `the AWS SDK for JavaScript will need Node.js >= 22 in its releases published after the first week of January 2027 (this is Node.js ${process.version})`,
    ],
    ['@aws-sdk - WARN - default STS region of us-east-1 used. See the README.', 'default STS region of us-east-1 used. See the README.'],
    ['@smithy/config-resolver WARN - Please use the caller region', 'Please use the caller region'],
  ])('an SDK warning is said in one line: %j', (text, line) => {
    expect(oneLineWarning(text, { profileFlag: false })).toBe(line);
  });

  it('with --profile, the profile winning over the key pair is what was asked for: no warning', () => {
    expect(oneLineWarning('… WARNING:\n    Multiple credential sources detected: …', { profileFlag: true })).toBeUndefined();
  });
});
