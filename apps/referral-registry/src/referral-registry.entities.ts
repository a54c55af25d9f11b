import { MESSAGING_ENTITIES } from '@countylink/messaging';
import { PERSISTENCE_ENTITIES } from '@countylink/persistence';
import { DIRECTORY_ENTITIES } from './directory/directory.entities';
import { Referral } from './referrals/referral.entity';
import { ReferralHistory } from './referrals/referral-history.entity';

/** Every table of the `referral` schema. */
export const REFERRAL_ENTITIES = [
  Referral,
  ReferralHistory,
  ...DIRECTORY_ENTITIES,
  ...MESSAGING_ENTITIES,
  ...PERSISTENCE_ENTITIES,
];
