import type { QueryHandler } from './context.js';

/** STS over the Query protocol: who is calling, from the access key id of the request's signature. */
export const stsHandlers: Record<string, QueryHandler> = {
  GetCallerIdentity: (ctx) => ({ UserId: ctx.caller.userId, Account: ctx.caller.account, Arn: ctx.caller.arn }),
};
