import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../src/catalog/load.js';

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
});
