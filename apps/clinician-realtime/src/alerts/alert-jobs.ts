import { appJobs, JobHandler } from '@countylink/persistence';
import { REALTIME_DATA_SOURCE } from '../clinician-realtime.constants';
import { ALERT_ESCALATION_JOB, ALERT_PAGE_JOB, AlertService } from './alert.service';
import { PAGER, Pager } from './pager.service';

/** A page to send is a job, so a provider outage or a restart delays it but never loses it. */
function pageDue(pager: Pager): JobHandler {
  return async (job) => {
    const p = job.payload;
    await pager.send({
      id: String(p.id),
      channel: p.channel === 'phone' ? 'phone' : 'sms',
      memberId: String(p.memberId),
      memberName: String(p.memberName),
      text: String(p.text),
    });
    return 'done';
  };
}

/** The app's durable timers, polled from PostgreSQL: ladder steps, and pages to send. */
export const alertJobs = appJobs({
  dataSourceName: REALTIME_DATA_SOURCE,
  inject: [AlertService, PAGER],
  handlers: (alerts: AlertService, pager: Pager) => ({
    [ALERT_ESCALATION_JOB]: alerts.onEscalationDue,
    [ALERT_PAGE_JOB]: pageDue(pager),
  }),
});
