import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { awsError } from '../../errors.js';
import { awsCall, type CollectContext } from '../call.js';
import { createAwsClients, type AwsClients, type AwsConnectionOptions } from '../clients.js';

/**
 * One session name for the whole run: a report JobId can be read only by the role session that created it, and the
 * session keeps its ARN (arn:aws:sts::<id>:assumed-role/<role>/leastpriv) when its credentials are renewed.
 */
export const ROLE_SESSION_NAME = 'leastpriv';

/**
 * Credentials are renewed this long before they expire. The SDK asks its provider again once fewer than 5 minutes
 * are left: anything it is handed then must be new, and a margin above its own guarantees that.
 */
const RENEW_BEFORE_EXPIRY_MS = 10 * 60_000;

interface SessionCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

export interface AssumeTarget {
  account: string;
  partition: string;
  roleName: string;
  externalId?: string | undefined;
}

/**
 * The clients of one member account, signed with credentials from STS AssumeRole into its role (asked through the
 * run's own clients). The first AssumeRole happens here, so an account whose role is missing or refuses the caller
 * fails before any of its calls; later ones when the SDK finds the credentials about to expire (a run over a large
 * account can outlast the one-hour session).
 */
export async function assumedRoleClients(home: CollectContext, connection: AwsConnectionOptions, target: AssumeTarget): Promise<AwsClients> {
  const RoleArn = `arn:${target.partition}:iam::${target.account}:role/${target.roleName}`;
  const assume = async (): Promise<SessionCredentials> => {
    const { Credentials: c } = await awsCall(home, { action: 'sts:AssumeRole', resource: RoleArn }, (clients, o) =>
      clients.sts.send(
        new AssumeRoleCommand({
          RoleArn,
          RoleSessionName: ROLE_SESSION_NAME,
          ...(target.externalId !== undefined ? { ExternalId: target.externalId } : {}),
        }),
        o,
      ),
    );
    if (c?.AccessKeyId === undefined || c.SecretAccessKey === undefined || c.SessionToken === undefined || c.Expiration === undefined) {
      throw awsError(`STS AssumeRole returned incomplete credentials for ${RoleArn}`);
    }
    return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
  };
  let current = await assume();
  // the IAM, STS and Organizations clients each ask: one renewal serves them all
  let renewing: Promise<SessionCredentials> | undefined;
  const provider = async (): Promise<SessionCredentials> => {
    if (current.expiration.getTime() - Date.now() > RENEW_BEFORE_EXPIRY_MS) return current;
    renewing ??= assume()
      .then((fresh) => (current = fresh))
      .finally(() => (renewing = undefined));
    return renewing;
  };
  return createAwsClients({ ...connection, credentials: provider });
}
