import { appJobs } from '@countylink/persistence';
import { ReserveRelease } from './release/reserve-release.service';
import { RELEASE_RESERVE_JOB } from './schedules/schedule.service';
import { SCHEDULING_DATA_SOURCE } from './specialist-slots.constants';

/** The app's durable timers (reserve releases), polled from PostgreSQL. */
export const schedulingJobs = appJobs({
  dataSourceName: SCHEDULING_DATA_SOURCE,
  inject: [ReserveRelease],
  handlers: (release: ReserveRelease) => ({ [RELEASE_RESERVE_JOB]: release.onDue }),
});
