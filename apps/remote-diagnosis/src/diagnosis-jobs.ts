import { appJobs } from '@countylink/persistence';
import { CLAIM_EXPIRY_JOB, ReadService } from './reads/read.service';
import { DIAGNOSIS_DATA_SOURCE } from './remote-diagnosis.constants';

/** The app's durable timers (claims that lapse), polled from PostgreSQL. */
export const diagnosisJobs = appJobs({
  dataSourceName: DIAGNOSIS_DATA_SOURCE,
  inject: [ReadService],
  handlers: (reads: ReadService) => ({
    [CLAIM_EXPIRY_JOB]: async (job, manager) => {
      const next = await reads.onClaimExpired(job.aggregateId, manager);
      return next === 'done' ? 'done' : { rescheduleAt: next };
    },
  }),
});
