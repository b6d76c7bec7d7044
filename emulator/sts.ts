import { entityOfArn, type Caller } from './account.js';
import { ApiError, constraintError, validationError } from './api-error.js';
import { optional, required, type QueryContext, type QueryHandler } from './context.js';
import { trustAllows } from './trust.js';

/** STS over the Query protocol: who is calling (from the request's access key id), and AssumeRole into an account. */

const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

function pattern(name: string, value: string, text: string): ApiError {
  return constraintError(`Value '${value}' at '${name}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${text}`);
}

/** DurationSeconds: 900..43200 (the model's range), default 3600 */
function duration(ctx: QueryContext): number {
  const raw = optional(ctx, 'DurationSeconds');
  if (raw === undefined) return 3600;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 900 || n > 43200) {
    const bound = n < 900 ? 'greater than or equal to 900' : 'less than or equal to 43200';
    throw constraintError(`Value '${raw}' at 'durationSeconds' failed to satisfy constraint: Member must have value ${bound}`);
  }
  return n;
}

/** what STS answers for a role that does not exist and for one whose trust policy refuses: the same AccessDenied */
const refused = (caller: Caller, roleArn: string): ApiError =>
  new ApiError('AccessDenied', 403, `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);

const assumeRole: QueryHandler = (ctx) => {
  const roleArn = required(ctx, 'RoleArn');
  const sessionName = required(ctx, 'RoleSessionName');
  if (!SESSION_NAME.test(sessionName)) throw pattern('roleSessionName', sessionName, '[\\w+=,.@-]*');
  const externalId = optional(ctx, 'ExternalId');
  if (externalId !== undefined && !EXTERNAL_ID.test(externalId)) throw pattern('externalId', externalId, '[\\w+=,./@:-]*');
  const seconds = duration(ctx);
  if (!/^arn:aws:iam::[0-9]{12}:role\/./.test(roleArn)) throw validationError(`${roleArn} is invalid`);
  const target = ctx.accounts.get(roleArn.split(':')[4] ?? '');
  const role = target ? entityOfArn(target, roleArn) : undefined;
  const trust = { callerArn: ctx.caller.arn, callerAccount: ctx.caller.account, externalId };
  if (!target || !role || !trustAllows(role.assumeRolePolicyText ?? '', trust)) throw refused(ctx.caller, roleArn);
  if (seconds > (role.maxSessionDuration ?? 3600)) {
    throw validationError('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  }
  const session: Caller = {
    arn: `arn:aws:sts::${target.id}:assumed-role/${role.name}/${sessionName}`,
    userId: `${role.id}:${sessionName}`,
    account: target.id,
    denied: target.sessionDenied,
    deniedOn: [],
  };
  const keys = ctx.sessions.create(session);
  // the only wall-clock value the emulator writes: the SDK refreshes credentials by it
  const expiration = new Date(Math.floor(Date.now() / 1000) * 1000 + seconds * 1000);
  return {
    Credentials: {
      AccessKeyId: keys.accessKeyId,
      SecretAccessKey: keys.secretAccessKey,
      SessionToken: keys.sessionToken,
      Expiration: expiration,
    },
    AssumedRoleUser: { AssumedRoleId: session.userId, Arn: session.arn },
  };
};

export const stsHandlers: Record<string, QueryHandler> = {
  GetCallerIdentity: (ctx) => ({ UserId: ctx.caller.userId, Account: ctx.caller.account, Arn: ctx.caller.arn }),
  AssumeRole: assumeRole,
};
