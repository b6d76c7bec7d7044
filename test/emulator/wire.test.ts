import { GetRoleCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../emulator/index.js';
import { iamClient } from './helpers.js';

/** The raw Query protocol, below the SDK: what a hand-rolled client or curl would see. */
let emulator: RunningEmulator;
const tricky = 'a<b> & "c" \'d\' ünï';

beforeAll(async () => {
  emulator = await startEmulator({
    fixture: {
      accountId: '123456789012',
      now: '2026-01-01T00:00:00Z',
      roles: [{ name: 'r', description: tricky, tags: { 'k&<': tricky } }],
    },
  });
});
afterAll(() => emulator.stop());

const post = (body: string) =>
  fetch(emulator.endpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });

describe('Query protocol on the wire', () => {
  it('escapes XML text so the SDK reads back exactly what the fixture holds', async () => {
    const { Role } = await iamClient(emulator).send(new GetRoleCommand({ RoleName: 'r' }));
    expect(Role?.Description).toBe(tricky);
    expect(Role?.Tags).toEqual([{ Key: 'k&<', Value: tricky }]);
  });

  it('answers the IAM namespace with a RequestId, to POST forms and to GET query strings alike', async () => {
    const viaPost = await post('Action=GetRole&Version=2010-05-08&RoleName=r');
    expect(viaPost.status).toBe(200);
    expect(viaPost.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    const text = await viaPost.text();
    expect(text).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<GetRoleResponse xmlns="https:\/\/iam.amazonaws.com\/doc\/2010-05-08\/"><GetRoleResult><Role>/);
    expect(text).toMatch(/<ResponseMetadata><RequestId>[0-9a-f-]{36}<\/RequestId><\/ResponseMetadata><\/GetRoleResponse>$/);
    const viaGet = await fetch(`${emulator.endpoint}/?Action=GetRole&Version=2010-05-08&RoleName=r`);
    expect(await viaGet.text()).toContain('<RoleName>r</RoleName>');
  });

  it('rejects an unknown Action, a missing Version and a missing parameter with Sender errors', async () => {
    const unknown = await post('Action=DeleteRole&Version=2010-05-08&RoleName=r');
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toMatch(/<Error><Type>Sender<\/Type><Code>InvalidAction<\/Code>/);
    const noVersion = await post('Action=GetRole&RoleName=r');
    expect(noVersion.status).toBe(400);
    const noName = await post('Action=GetRole&Version=2010-05-08');
    expect(noName.status).toBe(400);
    expect(await noName.text()).toContain("Value null at 'roleName' failed to satisfy constraint: Member must not be null");
  });
});
