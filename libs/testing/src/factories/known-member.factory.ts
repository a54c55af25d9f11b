import { KnownMember } from '@countylink/messaging';
import { FactoryDb, factoryManager, shortId } from './factory-db';

/**
 * A member of the directory as an app's replica knows them (`known_member`, kept from
 * member-upserted events in remote-diagnosis, specialist-slots and clinician-realtime): by default
 * a county cardiologist on duty. Inserting one stands in for waiting until the replica has caught up
 * with the directory, and makes members the demo seed does not have (a second department head…).
 */
export function buildKnownMember(overrides: Partial<KnownMember> = {}): KnownMember {
  const member = new KnownMember();
  return Object.assign(member, {
    id: `member-${shortId()}`,
    name: '测试医生 (心内科)',
    institutionId: 'county-hospital',
    departmentId: 'cardiology',
    roles: ['county-specialist'],
    duty: 'on-duty',
    ...overrides,
  });
}

/** Writes the member into the replica of the app whose data source is given (an upsert, as the replica does). */
export async function insertKnownMember(db: FactoryDb, overrides: Partial<KnownMember> = {}): Promise<KnownMember> {
  const manager = factoryManager(
    db,
    KnownMember,
    'an app that keeps the directory replica (remote-diagnosis, specialist-slots, clinician-realtime)',
  );
  const member = buildKnownMember(overrides);
  await manager.upsert(KnownMember, member, ['id']);
  return member;
}
