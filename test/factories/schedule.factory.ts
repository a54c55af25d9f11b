import { randomUUID } from 'node:crypto';
import { FactoryDb, factoryManager, shortId } from '@countylink/testing';
import type { Referral } from '../../apps/referral-registry/src/referrals/referral.entity';
import { Appointment } from '../../apps/specialist-slots/src/appointments/appointment.entity';
import { ReferralSnapshot } from '../../apps/specialist-slots/src/referrals/referral-snapshot.entity';
import { BookingPolicy, bookingWindows, reservedCount } from '../../apps/specialist-slots/src/schedules/reserved-pool';
import { Schedule } from '../../apps/specialist-slots/src/schedules/schedule.entity';

/** The booking windows the apps default to (SCHEDULING_GENERAL_OPENS_DAYS, …_RESERVED_EARLIER_DAYS, …_RELEASE_LEAD_MINUTES). */
export const DEFAULT_BOOKING_POLICY: BookingPolicy = {
  generalOpensDays: 7,
  reservedEarlierDays: 7,
  releaseLeadMinutes: 24 * 60,
};
/** The group's floor for the reserved share (SCHEDULING_RESERVED_SHARE_FLOOR); the table's CHECK refuses less. */
export const DEFAULT_RESERVED_SHARE = 0.2;
const HOUR = 3_600_000;

export interface ScheduleFactoryOptions {
  /** The windows to derive reservedOpensAt, generalOpensAt and releaseAt from (overrides of those fields win). */
  policy?: BookingPolicy;
}

/**
 * A published schedule with its two pools, as ScheduleService.publish would write it: by default the
 * suites' cardiology clinic session of the county hospital two days ahead (session() in
 * test/specialist-slots/slots-fixtures.ts), 10 places of which ceil(10 × 0.2) = 2 reserved for
 * family-doctor referrals, both pools open now. The reserved count and the windows follow the
 * capacity, share and start given; every field can be overridden.
 */
export function buildSchedule(overrides: Partial<Schedule> = {}, options: ScheduleFactoryOptions = {}): Schedule {
  const now = overrides.createdAt ?? new Date();
  const startsAt = overrides.startsAt ?? new Date(now.getTime() + 48 * HOUR);
  const capacity = overrides.capacity ?? 10;
  const reservedShare = overrides.reservedShare ?? DEFAULT_RESERVED_SHARE;
  const reserved = reservedCount(capacity, reservedShare);
  return Object.assign(new Schedule(), {
    id: randomUUID(),
    kind: 'clinic-session',
    institutionId: 'county-hospital',
    departmentId: 'cardiology',
    practitionerId: 'county-cardiology',
    modality: null,
    startsAt,
    endsAt: new Date(startsAt.getTime() + 4 * HOUR),
    capacity,
    reservedShare,
    reservedAtPublication: reserved,
    reservedCapacity: reserved,
    reservedBooked: 0,
    generalBooked: 0,
    reserveReleased: false,
    releasedUnused: 0,
    ...bookingWindows(startsAt, options.policy ?? DEFAULT_BOOKING_POLICY),
    externalId: null,
    publishedBy: 'group-admin',
    createdAt: now,
    updatedAt: now,
    version: 1,
    ...overrides,
  } satisfies Schedule);
}

/**
 * Inserts the schedule into specialist-slots' `schedule` table and returns it. Rows only: no
 * schedule-published event and no release job (the reserve is not released at releaseAt unless a
 * test does it). Book places into it with insertAppointment, so its counters stay true.
 */
export async function insertSchedule(
  db: FactoryDb,
  overrides: Partial<Schedule> = {},
  options: ScheduleFactoryOptions = {},
): Promise<Schedule> {
  const manager = factoryManager(db, Schedule, 'specialist-slots');
  const schedule = buildSchedule(overrides, options);
  await manager.insert(Schedule, schedule);
  return schedule;
}

/**
 * An appointment on `schedule`: by default a general place booked by the county HIS for a patient
 * of its own; with `pool: 'reserved'` one booked by township A's family doctor. With `referral`
 * (a registry referral or a slots snapshot) the patient, the booker's institution and the link
 * are the referral's, as BookingService does it.
 */
export function buildAppointment(
  schedule: Pick<Schedule, 'id'>,
  overrides: Partial<Appointment> = {},
  referral?: ReferralFacts,
): Appointment {
  const pool = overrides.pool ?? (referral ? 'reserved' : 'general');
  const now = overrides.bookedAt ?? new Date();
  const booker =
    pool === 'reserved' || referral
      ? {
          patientInstitutionId: referral?.fromInstitutionId ?? 'township-a',
          bookedBySubject: referral?.fromPractitionerId ?? 'family-doctor-a',
          bookedByRoles: ['family-doctor', 'township-doctor'],
          bookedByDepartmentId: 'family-doctor-team',
        }
      : {
          patientInstitutionId: 'county-hospital',
          bookedBySubject: 'his-county',
          bookedByRoles: ['his-system'],
          bookedByDepartmentId: null,
        };
  const patient = referral
    ? {
        patientId: referral.patientId,
        patientName: referral.patientName,
        patientSex: referral.patientSex,
        patientBirthDate: referral.patientBirthDate,
      }
    : {
        patientId: `CH-${shortId()}`,
        patientName: '李秀英',
        patientSex: 'female' as const,
        patientBirthDate: '1962-08-21',
      };
  return Object.assign(new Appointment(), {
    id: randomUUID(),
    scheduleId: schedule.id,
    pool,
    status: 'booked',
    ...patient,
    ...booker,
    referralId: referral?.id ?? null,
    fromWaitlist: false,
    bookedAt: now,
    changedAt: now,
    changedBySubject: null,
    reason: null,
    ...overrides,
  } satisfies Appointment);
}

/** What a booking takes of a referral: the registry's Referral and the slots app's snapshot both have it. */
export type ReferralFacts = Pick<
  ReferralSnapshot,
  'id' | 'fromInstitutionId' | 'fromPractitionerId' | 'patientId' | 'patientName' | 'patientSex' | 'patientBirthDate'
>;

/**
 * Inserts the appointment and counts its place on the schedule (its pool's booked count and the
 * version grow by one, in one transaction), so the schedule's pools say what is booked. The table's
 * CHECKs hold here too: a place beyond a pool's capacity fails as an overbooking would. A cancelled
 * appointment holds no place and counts nothing.
 */
export async function insertAppointment(
  db: FactoryDb,
  schedule: Pick<Schedule, 'id'>,
  overrides: Partial<Appointment> = {},
  referral?: ReferralFacts,
): Promise<Appointment> {
  const manager = factoryManager(db, Appointment, 'specialist-slots');
  const appointment = buildAppointment(schedule, overrides, referral);
  await manager.transaction(async (tx) => {
    await tx.insert(Appointment, appointment);
    if (appointment.status === 'cancelled') return;
    const count =
      appointment.pool === 'reserved'
        ? { reservedBooked: () => 'reserved_booked + 1' }
        : { generalBooked: () => 'general_booked + 1' };
    await tx
      .createQueryBuilder()
      .update(Schedule)
      .set({ ...count, version: () => 'version + 1', updatedAt: appointment.bookedAt })
      .where('id = :id', { id: schedule.id })
      .execute();
  });
  return appointment;
}

/** The slots app's snapshot of a registry referral (what it keeps from the referral events). */
export function snapshotOf(referral: Referral, overrides: Partial<ReferralSnapshot> = {}): ReferralSnapshot {
  return Object.assign(new ReferralSnapshot(), {
    id: referral.id,
    status: referral.status,
    direction: referral.direction,
    patientId: referral.patientId,
    patientName: referral.patientName,
    patientSex: referral.patientSex,
    patientBirthDate: referral.patientBirthDate,
    fromInstitutionId: referral.fromInstitutionId,
    fromPractitionerId: referral.fromPractitionerId,
    toInstitutionId: referral.toInstitutionId,
    toDepartmentId: referral.toDepartmentId,
    version: referral.version,
    updatedAt: referral.updatedAt,
    ...overrides,
  } satisfies ReferralSnapshot);
}

/**
 * Inserts what the slots app knows of a referral, as if its referral events had been consumed: of
 * `referral` when given (the same patient as in the registry), else of the default up-referral
 * (township A's family doctor to county cardiology, requested). Returns the snapshot.
 */
export async function insertReferralSnapshot(
  db: FactoryDb,
  overrides: Partial<ReferralSnapshot> = {},
  referral?: Referral,
): Promise<ReferralSnapshot> {
  const manager = factoryManager(db, ReferralSnapshot, 'specialist-slots');
  const snapshot = referral
    ? snapshotOf(referral, overrides)
    : Object.assign(new ReferralSnapshot(), {
        id: randomUUID(),
        status: 'requested',
        direction: 'up',
        patientId: `TA-${shortId()}`,
        patientName: '王建国',
        patientSex: 'male',
        patientBirthDate: '1956-03-14',
        fromInstitutionId: 'township-a',
        fromPractitionerId: 'family-doctor-a',
        toInstitutionId: 'county-hospital',
        toDepartmentId: 'cardiology',
        version: 1,
        updatedAt: new Date(),
        ...overrides,
      } satisfies ReferralSnapshot);
  await manager.insert(ReferralSnapshot, snapshot);
  return snapshot;
}
