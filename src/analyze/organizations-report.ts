import type { OrganizationsReport, ServiceReport } from '../snapshot/types.js';

/**
 * An Organizations access report read as a SERVICE_LEVEL service report, so the same rules decide: a service with a
 * LastAuthenticatedTime within N days is used, one without (or older) is unused, one absent is not in the report.
 * Organizations reports have no action-level data. The evidence paths stay those of AccessDetails
 * (`listName`), so a reviewer finds each decision's row in the file.
 */
export function asServiceReport(report: OrganizationsReport): { report: ServiceReport; listName: string } {
  return {
    report: {
      Kind: 'service-last-accessed',
      JobType: 'SERVICE_LEVEL',
      JobStatus: 'COMPLETED',
      JobCreationDate: report.JobCreationDate,
      JobCompletionDate: report.JobCompletionDate,
      ServicesLastAccessed: report.AccessDetails.map((d) => ({
        ServiceName: d.ServiceName,
        ServiceNamespace: d.ServiceNamespace,
        ...(d.LastAuthenticatedTime ? { LastAuthenticated: d.LastAuthenticatedTime } : {}),
        ...(d.EntityPath ? { LastAuthenticatedEntity: d.EntityPath } : {}),
        ...(d.Region ? { LastAuthenticatedRegion: d.Region } : {}),
        ...(d.TotalAuthenticatedEntities === undefined ? {} : { TotalAuthenticatedEntities: d.TotalAuthenticatedEntities }),
      })),
    },
    listName: 'AccessDetails',
  };
}
