import { appJobs } from '@countylink/persistence';
import { REFERRAL_DATA_SOURCE } from './referral-registry.constants';
import { ReferralEscalation } from './referrals/referral-escalation.service';
import { RESPONSE_DUE_JOB } from './referrals/referral.service';

/** The app's durable timers (referral SLAs), polled from PostgreSQL. */
export const referralJobs = appJobs({
  dataSourceName: REFERRAL_DATA_SOURCE,
  inject: [ReferralEscalation],
  handlers: (escalation: ReferralEscalation) => ({ [RESPONSE_DUE_JOB]: escalation.onDue }),
});
