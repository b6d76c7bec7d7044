import {
  GenerateOrganizationsAccessReportCommand,
  GenerateServiceLastAccessedDetailsCommand,
  GetOrganizationsAccessReportCommand,
  GetRoleCommand,
  GetServiceLastAccessedDetailsCommand,
  GetServiceLastAccessedDetailsWithEntitiesCommand,
} from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../emulator/index.js';
import { DescribeOrganizationCommand } from '@aws-sdk/client-organizations';
import { APP_ROLE_ARN, body, iamClient, KEYS, orgClient, sdkError, startSmall } from './helpers.js';

async function withEmulator<T>(options: Parameters<typeof startSmall>[0], run: (e: RunningEmulator) => Promise<T>): Promise<T> {
  const emulator = await startSmall(options);
  try {
    return await run(emulator);
  } finally {
    await emulator.stop();
  }
}

describe('report jobs', () => {
  it('IN_PROGRESS replies carry only JobStatus and JobCreationDate, then the job completes', async () => {
    // an hour-long job is IN_PROGRESS for certain; completeJobs() ends it without waiting on the clock
    await withEmulator({ faults: { jobCompletionMs: 3_600_000 } }, async (emulator) => {
      const iam = iamClient(emulator);
      const { JobId } = await iam.send(new GenerateServiceLastAccessedDetailsCommand({ Arn: APP_ROLE_ARN, Granularity: 'ACTION_LEVEL' }));
      expect(JobId).toMatch(/^[0-9a-f-]{36}$/);
      const running = await iam.send(new GetServiceLastAccessedDetailsCommand({ JobId }));
      expect(body(running)).toEqual({ JobStatus: 'IN_PROGRESS', JobCreationDate: new Date('2026-11-01T12:00:00Z') });
      const entities = await iam.send(new GetServiceLastAccessedDetailsWithEntitiesCommand({ JobId, ServiceNamespace: 's3' }));
      expect(body(entities)).toEqual({ JobStatus: 'IN_PROGRESS', JobCreationDate: new Date('2026-11-01T12:00:00Z') });
      emulator.completeJobs();
      const done = await iam.send(new GetServiceLastAccessedDetailsCommand({ JobId }));
      expect(done.JobStatus).toBe('COMPLETED');
      // completion date from the fixture clock: now + jobCompletionMs
      expect(done.JobCompletionDate).toEqual(new Date('2026-11-01T13:00:00Z'));
      expect(done.ServicesLastAccessed?.length).toBe(4);
    });
  });

  it('jobs also complete on their own after jobCompletionMs', async () => {
    await withEmulator({ faults: { jobCompletionMs: 50 } }, async (emulator) => {
      const iam = iamClient(emulator);
      const { JobId } = await iam.send(new GenerateServiceLastAccessedDetailsCommand({ Arn: APP_ROLE_ARN }));
      let out = await iam.send(new GetServiceLastAccessedDetailsCommand({ JobId }));
      while (out.JobStatus === 'IN_PROGRESS') {
        await new Promise((r) => setTimeout(r, 25));
        out = await iam.send(new GetServiceLastAccessedDetailsCommand({ JobId }));
      }
      expect(out.JobStatus).toBe('COMPLETED');
    });
  });

  it('a FAILED job carries Error with Code and Message; failJobs can target one principal', async () => {
    await withEmulator({ faults: { jobCompletionMs: 0, failJobs: [APP_ROLE_ARN] } }, async (emulator) => {
      const iam = iamClient(emulator);
      const { JobId } = await iam.send(new GenerateServiceLastAccessedDetailsCommand({ Arn: APP_ROLE_ARN }));
      const failed = await iam.send(new GetServiceLastAccessedDetailsCommand({ JobId }));
      expect(failed.JobStatus).toBe('FAILED');
      expect(failed.Error).toEqual({ Code: expect.any(String), Message: expect.any(String) });
      expect(failed.ServicesLastAccessed).toBeUndefined();
      const other = await iam.send(
        new GenerateServiceLastAccessedDetailsCommand({ Arn: 'arn:aws:iam::123456789012:role/idle-role' }),
      );
      const ok = await iam.send(new GetServiceLastAccessedDetailsCommand({ JobId: other.JobId }));
      expect(ok.JobStatus).toBe('COMPLETED');
    });
  });

  it('a JobId is readable only by its creator: another caller gets NoSuchEntity, as for an unknown id', async () => {
    await withEmulator({ faults: { jobCompletionMs: 0 } }, async (emulator) => {
      const { JobId } = await iamClient(emulator).send(new GenerateServiceLastAccessedDetailsCommand({ Arn: APP_ROLE_ARN }));
      const other = iamClient(emulator, { accessKeyId: KEYS.other });
      const foreign = await sdkError(other.send(new GetServiceLastAccessedDetailsCommand({ JobId })));
      expect(foreign).toMatchObject({ name: 'NoSuchEntityException', status: 404 });
      const unknown = await sdkError(
        other.send(new GetServiceLastAccessedDetailsCommand({ JobId: '00000000-0000-4000-a000-000000000000' })),
      );
      expect(unknown).toMatchObject({ name: 'NoSuchEntityException', status: 404 });
      const missingRole = await sdkError(
        iamClient(emulator).send(new GenerateServiceLastAccessedDetailsCommand({ Arn: 'arn:aws:iam::123456789012:role/ghost' })),
      );
      expect(missingRole).toMatchObject({ name: 'NoSuchEntityException', status: 404 });
    });
  });

  it('Organizations access report: one generation at a time (409), then COMPLETED with AccessDetails', async () => {
    await withEmulator({ faults: { jobCompletionMs: 3_600_000 } }, async (emulator) => {
      const iam = iamClient(emulator);
      const { JobId } = await iam.send(new GenerateOrganizationsAccessReportCommand({ EntityPath: 'o-exampleorg1/r-ab12' }));
      const busy = await sdkError(iam.send(new GenerateOrganizationsAccessReportCommand({ EntityPath: 'o-exampleorg1/r-ab12' })));
      expect(busy).toMatchObject({ name: 'ReportGenerationLimitExceededException', status: 409 });
      const running = await iam.send(new GetOrganizationsAccessReportCommand({ JobId }));
      expect(body(running)).toEqual({ JobStatus: 'IN_PROGRESS', JobCreationDate: new Date('2026-11-01T12:00:00Z') });
      emulator.completeJobs();
      const out = await iam.send(new GetOrganizationsAccessReportCommand({ JobId, MaxItems: 1000 }));
      expect(out.JobStatus).toBe('COMPLETED');
      // the generation slot is free again
      await expect(iam.send(new GenerateOrganizationsAccessReportCommand({ EntityPath: 'o-exampleorg1/r-ab12/210987654321' }))).resolves.toHaveProperty('JobId');
      const s3 = out.AccessDetails?.find((d) => d.ServiceNamespace === 's3');
      expect(s3).toMatchObject({
        TotalAuthenticatedEntities: 2,
        LastAuthenticatedTime: new Date('2026-10-05T00:00:00Z'),
        EntityPath: 'o-exampleorg1/r-ab12/111122223333',
      });
      expect(out.NumberOfServicesNotAccessed).toBe((out.NumberOfServicesAccessible ?? 0) - 2);
    });
  });
});

describe('fault injection', () => {
  it('throttling: HTTP 400 code Throttling "Rate exceeded", counted in stats, at the configured rate', async () => {
    await withEmulator({ faults: { throttleRate: 1 } }, async (emulator) => {
      const err = await sdkError(iamClient(emulator).send(new GetRoleCommand({ RoleName: 'app-role' })));
      expect(err).toEqual({ name: 'Throttling', message: 'Rate exceeded', status: 400 });
      expect(emulator.stats()).toMatchObject({ throttled: 1, calls: { GetRole: 1 } });
    });
    await withEmulator({ faults: { throttleRate: 0.3, seed: 7 } }, async (emulator) => {
      const iam = iamClient(emulator);
      let failed = 0;
      for (let i = 0; i < 40; i++) {
        await iam.send(new GetRoleCommand({ RoleName: 'app-role' })).catch(() => failed++);
      }
      expect(emulator.stats().throttled).toBe(failed);
      expect(emulator.stats().calls.GetRole).toBe(40);
      // a seeded 30%: neither none nor most
      expect(failed).toBeGreaterThan(3);
      expect(failed).toBeLessThan(25);
    });
  });

  it('5xx: ServiceFailure 500 (a modelled IAM error) or ServiceUnavailable 503', async () => {
    await withEmulator({ faults: { serverErrorRate: 1 } }, async (emulator) => {
      const iam = iamClient(emulator);
      const seen = new Set<string>();
      for (let i = 0; i < 8; i++) {
        const e = await sdkError(iam.send(new GetRoleCommand({ RoleName: 'app-role' })));
        seen.add(`${e.status} ${e.name}`);
      }
      expect([...seen].sort()).toEqual(['500 ServiceFailureException', '503 ServiceUnavailable']);
      expect(emulator.stats().serverErrors).toBe(8);
    });
  });

  it('Organizations faults use its model: TooManyRequestsException 429, ServiceException 500', async () => {
    await withEmulator({ faults: { throttleRate: 1 } }, async (emulator) => {
      const err = await sdkError(orgClient(emulator).send(new DescribeOrganizationCommand({})));
      expect(err).toMatchObject({ name: 'TooManyRequestsException', status: 429 });
    });
    await withEmulator({ faults: { serverErrorRate: 1 } }, async (emulator) => {
      const err = await sdkError(orgClient(emulator).send(new DescribeOrganizationCommand({})));
      expect(err).toMatchObject({ name: 'ServiceException', status: 500 });
    });
  });

  it('the same seed throttles the same calls', async () => {
    const pattern = (seed: number) =>
      withEmulator({ faults: { throttleRate: 0.5, seed } }, async (emulator) => {
        const iam = iamClient(emulator);
        const out: boolean[] = [];
        for (let i = 0; i < 12; i++) {
          out.push(await iam.send(new GetRoleCommand({ RoleName: 'app-role' })).then(() => true, () => false));
        }
        return out.join(',');
      });
    const a = await pattern(42);
    expect(await pattern(42)).toBe(a);
    expect(a).toContain('true');
    expect(a).toContain('false');
  });
});
