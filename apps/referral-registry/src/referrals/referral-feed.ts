import { Referral } from '@countylink/contracts';
import { FeedAudience } from '@countylink/messaging';

/**
 * A referral's events reach the HIS feeds of its sending and its receiving institution: the two
 * that GET /api/referrals/:id answers (canSee). Directory events are for the backbone only; an HIS
 * reads the directory over HTTP.
 */
export const referralFeedAudience: FeedAudience = (_manager, event) => {
  const referral = (event.payload as { referral?: Referral }).referral;
  return referral ? [referral.fromInstitutionId, referral.toInstitutionId] : [];
};
