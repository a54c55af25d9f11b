import { Alert } from '@countylink/contracts';
import { FeedAudience } from '@countylink/messaging';

/** An alert's events reach the HIS feed of the institution that must answer it, whose alerts /api/alerts lists. */
export const alertFeedAudience: FeedAudience = (_manager, event) => {
  const alert = (event.payload as { alert?: Alert }).alert;
  return alert ? [alert.institutionId] : [];
};
