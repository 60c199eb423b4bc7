/** The core's jobs for members' data rights: building an archive, completing a deletion. */
import type { JobDef } from '../jobs/runner';
import { DELETION_JOB, runDeletionJob } from './deletion';
import { EXPORT_JOB, runExportJob } from './export';

export const memberDataJobs: JobDef[] = [
  { kind: EXPORT_JOB, maxAttempts: 5, handler: (payload, rt, job) => runExportJob(payload, rt, job.now) },
  { kind: DELETION_JOB, maxAttempts: 10, handler: (payload, rt, job) => runDeletionJob(payload, rt, job.now) },
];
