/**
 * Row factories that need no app: the shared plumbing and the directory replica's member (an entity
 * of libs/messaging). The factories of the apps' own aggregates (referrals, schedules, reads) live
 * in test/factories/, since a lib may not import an app.
 */
export * from './factory-db';
export * from './known-member.factory';
