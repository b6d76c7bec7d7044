/**
 * Which actions IAM's action-level last-accessed data tracks. A small, documented model of AWS's behaviour, not
 * AWS's live list (which has grown since; see docs/emulator.md):
 * - the access advisor pages list Amazon EC2, IAM, Lambda and Amazon S3 *management* actions (CloudTrail management
 *   events); S3 data events (object reads/writes, object listings) and Lambda invocations are data events, untracked;
 * - SQS is modelled as tracked for its management actions only, so that "SQS message operations are not tracked"
 *   (live captures, corpus/PROVENANCE.md) is exercised;
 * - iam:PassRole is never tracked (access advisor pages).
 * Tracking of actions began on 2020-04-12 for S3 and 2021-04-07 for the others; older action events do not count.
 */
interface TrackedService {
  since: Date;
  untracked: (action: string) => boolean;
}

// object-level actions (not the bucket-level *BucketObjectLock* ones), multipart uploads and object listings
const isS3Data = (a: string): boolean =>
  (a.includes('Object') && !a.includes('Bucket')) || a.includes('MultipartUpload') || /^ListBucket(Versions)?$/.test(a);
const SQS_MESSAGES = /^(SendMessage|ReceiveMessage|DeleteMessage|ChangeMessageVisibility)(Batch)?$/;
const LAMBDA_DATA = /^Invoke/;

const TRACKED: Record<string, TrackedService> = {
  s3: { since: new Date('2020-04-12T00:00:00Z'), untracked: isS3Data },
  ec2: { since: new Date('2021-04-07T00:00:00Z'), untracked: () => false },
  iam: { since: new Date('2021-04-07T00:00:00Z'), untracked: (a) => a === 'PassRole' },
  lambda: { since: new Date('2021-04-07T00:00:00Z'), untracked: (a) => LAMBDA_DATA.test(a) },
  sqs: { since: new Date('2021-04-07T00:00:00Z'), untracked: (a) => SQS_MESSAGES.test(a) },
};

export function isTrackedService(service: string): boolean {
  return Object.hasOwn(TRACKED, service);
}

export function isTrackedAction(service: string, action: string): boolean {
  const t = TRACKED[service];
  return t !== undefined && !t.untracked(action);
}

/** the date from which action-level events of this service are recorded */
export function actionTrackingSince(service: string): Date | undefined {
  return TRACKED[service]?.since;
}

export const TRACKED_SERVICES: readonly string[] = Object.keys(TRACKED).sort();
