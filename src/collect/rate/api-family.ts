/**
 * The groups of operations that AWS throttles apart, as far as its errors and quotas page show: the report generations
 * and reads, GetAccountAuthorizationDetails, the plain IAM reads, STS, Organizations. The governor paces each family
 * on its own rate. The emulator keeps its own list for its token buckets (it never reads the collector's logic); a
 * test keeps the two in step.
 */
export type ApiFamily = 'iam-read' | 'iam-report' | 'iam-authorization-details' | 'sts' | 'organizations';

export type AwsService = 'iam' | 'sts' | 'organizations';

/** `operation`: the API operation name ("GetRole", "GenerateServiceLastAccessedDetails") */
export function apiFamily(service: AwsService, operation: string): ApiFamily {
  if (service !== 'iam') return service;
  if (operation === 'GetAccountAuthorizationDetails') return 'iam-authorization-details';
  if (operation.startsWith('Generate') || operation.includes('LastAccessed') || operation.endsWith('OrganizationsAccessReport')) {
    return 'iam-report';
  }
  return 'iam-read';
}
