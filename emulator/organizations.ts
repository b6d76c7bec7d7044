import type { Account } from './account.js';
import { ApiError } from './api-error.js';

/**
 * AWS Organizations over JSON 1.1 (X-Amz-Target: AWSOrganizationsV20161128.<Operation>): the read operations a
 * collector needs to find the organization and its accounts. Timestamps are epoch seconds, as the protocol encodes.
 */
export type JsonHandler = (input: Record<string, unknown>, account: Account, pageSize: number | undefined) => unknown;

const epoch = (iso: string | undefined, fallback: Date): number => (iso ? new Date(iso) : fallback).getTime() / 1000;

function organization(account: Account) {
  const org = account.fixture.organization;
  if (!org) {
    // 404 is the status in the API model
    throw new ApiError('AWSOrganizationsNotInUseException', 404, 'Your account is not a member of an organization.');
  }
  return org;
}

const SCP_ENABLED = [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }];

function jsonPage<T>(items: T[], input: Record<string, unknown>, pageSize: number | undefined) {
  const start = typeof input.NextToken === 'string' ? Number(Buffer.from(input.NextToken, 'base64').toString()) : 0;
  if (!Number.isInteger(start) || start < 0 || start > items.length) {
    throw new ApiError('InvalidInputException', 400, 'You provided an invalid value for NextToken.');
  }
  let max = typeof input.MaxResults === 'number' ? input.MaxResults : 20;
  if (pageSize !== undefined) max = Math.min(max, pageSize);
  const page = items.slice(start, start + max);
  const next = start + page.length;
  return { page, NextToken: next < items.length ? Buffer.from(String(next)).toString('base64') : undefined };
}

export const organizationsHandlers: Record<string, JsonHandler> = {
  DescribeOrganization: (_input, account) => {
    const org = organization(account);
    const mgmt = org.managementAccountId ?? account.id;
    return {
      Organization: {
        Id: org.id,
        Arn: `arn:aws:organizations::${mgmt}:organization/${org.id}`,
        FeatureSet: org.featureSet ?? 'ALL',
        MasterAccountArn: `arn:aws:organizations::${mgmt}:account/${org.id}/${mgmt}`,
        MasterAccountId: mgmt,
        MasterAccountEmail: org.managementAccountEmail ?? `management@example.com`,
        AvailablePolicyTypes: SCP_ENABLED,
      },
    };
  },
  ListRoots: (_input, account) => {
    const org = organization(account);
    const mgmt = org.managementAccountId ?? account.id;
    return {
      Roots: [
        { Id: org.rootId, Arn: `arn:aws:organizations::${mgmt}:root/${org.id}/${org.rootId}`, Name: 'Root', PolicyTypes: SCP_ENABLED },
      ],
    };
  },
  ListAccounts: (input, account, pageSize) => {
    const org = organization(account);
    const mgmt = org.managementAccountId ?? account.id;
    const accounts = (org.accounts ?? []).map((a) => ({
      Id: a.id,
      Arn: `arn:aws:organizations::${mgmt}:account/${org.id}/${a.id}`,
      Email: a.email ?? `${a.id}@example.com`,
      Name: a.name,
      Status: a.status ?? 'ACTIVE',
      JoinedMethod: a.id === mgmt ? 'CREATED' : 'INVITED',
      JoinedTimestamp: epoch(a.joinedTimestamp, account.now),
    }));
    const { page, NextToken } = jsonPage(accounts, input, pageSize);
    return { Accounts: page, NextToken };
  },
};
