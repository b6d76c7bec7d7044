import type { Catalog } from '../catalog/catalog.js';

const HIGH_RISK_STS = /^sts:(AssumeRole|GetFederationToken|GetSessionToken)/i;

/**
 * Permissions a security reviewer wants to see called out when they go: every permissions-management action, IAM and
 * Organizations writes, and STS actions that mint credentials.
 */
export function isHighRisk(catalog: Catalog, actionId: string): boolean {
  const action = catalog.lookup(actionId);
  if (!action) return false;
  if (action.accessLevel === 'Permissions management') return true;
  if ((action.service === 'iam' || action.service === 'organizations') && action.accessLevel !== 'List' && action.accessLevel !== 'Read') {
    return true;
  }
  return HIGH_RISK_STS.test(actionId);
}
