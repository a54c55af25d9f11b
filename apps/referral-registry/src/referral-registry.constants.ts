/** The app's schema, and the name of its TypeORM data source. */
export const REFERRAL_SCHEMA = 'referral';
export const REFERRAL_DATA_SOURCE = 'referral';
export const REFERRAL_APP = 'referral-registry';
