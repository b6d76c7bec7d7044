/** The parts of an IAM ARN leastpriv checks: partition, account and the resource's type, path and name. */
export interface IamArn {
  partition: string;
  account: string;
  resourceType: string;
  path: string;
  name: string;
}

const IAM_ARN = /^arn:(aws(?:-[a-z]+)*):iam::(\d{12}|aws):([a-z-]+)(\/(?:.*\/)?)?([^/]+)$/;

export function parseIamArn(arn: string): IamArn | undefined {
  const m = IAM_ARN.exec(arn);
  if (!m) return undefined;
  return {
    partition: m[1] as string,
    account: m[2] as string,
    resourceType: m[3] as string,
    path: m[4] ?? '/',
    name: m[5] as string,
  };
}
