import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../src/catalog/catalog.js';
import { loadCatalog } from '../../src/catalog/load.js';

describe('catalog', () => {
  it('loads every service of iam-data with canonical casing and primary access levels', async () => {
    const catalog = await loadCatalog();
    expect(catalog.services.length).toBeGreaterThan(400);
    expect(catalog.all().length).toBeGreaterThan(20_000);
    expect(catalog.lookup('S3:getobject')?.id).toBe('s3:GetObject');
    expect(catalog.lookup('iam:AttachRolePolicy')?.accessLevel).toBe('Permissions management');
    expect(catalog.lookup('s3:NoSuchThing')).toBeUndefined();
    expect(catalog.actionsOf('nosuchservice')).toBeUndefined();
    expect(catalog.serviceName('s3')).toMatch(/S3/);
  });

  it('records when iam-data was built, as an ISO-8601 date-time', async () => {
    const { updatedAt } = await loadCatalog();
    expect(updatedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(new Date(updatedAt).toISOString()).toBe(updatedAt);
    // iam-data is rebuilt from AWS's documentation; a build before IAM's action-level data existed is a misreading
    expect(Date.parse(updatedAt)).toBeGreaterThan(Date.parse('2020-01-01T00:00:00Z'));
  });

  it('buildCatalog normalises updatedAt and refuses a value that is not a date', () => {
    const services = [{ prefix: 's3', name: 'Amazon S3', actions: [{ name: 'GetObject', accessLevel: 'Read' }] }];
    expect(buildCatalog({ version: 't', updatedAt: '2026-09-26', services }).updatedAt).toBe('2026-09-26T00:00:00.000Z');
    expect(() => buildCatalog({ version: 't', updatedAt: 'last week', services })).toThrow(/updatedAt "last week" is not an ISO-8601 date/);
    expect(() => buildCatalog({ version: 't', updatedAt: '2026-09-26T04:46:59', services })).toThrow(/not an ISO-8601 date/);
  });
});
