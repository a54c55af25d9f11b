/**
 * Row factories for the main aggregates, written through the apps' own entities (and their history
 * writer and pool arithmetic) into the data source of the app that owns them: a referral with its
 * patient and history, a schedule with its pools and appointments, a read with its study, index
 * rows and report. They live here rather than in libs/testing because a lib may not import an
 * app; the member of the directory replica (an entity of libs/messaging) is in libs/testing.
 */
export type { FactoryDb } from '@countylink/testing';
export { buildKnownMember, insertKnownMember } from '@countylink/testing';
export * from './referral.factory';
export * from './schedule.factory';
export * from './read.factory';
