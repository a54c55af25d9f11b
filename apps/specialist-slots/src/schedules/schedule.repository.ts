import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { Appointment } from '../appointments/appointment.entity';
import { SCHEDULING_DATA_SOURCE, SCHEDULING_SCHEMA } from '../specialist-slots.constants';
import { ListSchedulesQuery } from './dtos/list-schedules.query';
import { fromRaw } from './raw-row';
import { PoolName } from './reserved-pool';
import { Schedule } from './schedule.entity';

/**
 * Takes one place in the counting row with a conditional UPDATE and, in the same statement, writes
 * the appointment; the row's CHECK constraints are the last word, so no interleaving of instances
 * can overbook a pool or push a count below zero. No place, no row: the caller sees zero rows.
 */
const TAKE = {
  reserved: 'NOT reserve_released AND reserved_booked < reserved_capacity',
  general: 'general_booked < capacity - reserved_capacity',
};
const COUNT = { reserved: 'reserved_booked', general: 'general_booked' };
/** Column and type: parameters in INSERT … SELECT take no type from their target column. */
const APPOINTMENT_COLUMNS: Array<[string, string]> = [
  ['id', 'uuid'],
  ['schedule_id', 'uuid'],
  ['pool', 'text'],
  ['status', 'text'],
  ['patient_id', 'text'],
  ['patient_name', 'text'],
  ['patient_sex', 'text'],
  ['patient_birth_date', 'date'],
  ['patient_institution_id', 'text'],
  ['referral_id', 'uuid'],
  ['booked_by_subject', 'text'],
  ['booked_by_roles', 'text[]'],
  ['booked_by_department_id', 'text'],
  ['from_waitlist', 'boolean'],
  ['booked_at', 'timestamptz'],
  ['changed_at', 'timestamptz'],
];
function takePlaceSql(pool: PoolName): string {
  const values = APPOINTMENT_COLUMNS.map(([, type], i) => `$${i + 2}::${type}`).join(', ');
  return `WITH taken AS (
      UPDATE "${SCHEDULING_SCHEMA}"."schedule" SET ${COUNT[pool]} = ${COUNT[pool]} + 1, version = version + 1, updated_at = $1
      WHERE id = $3::uuid AND ${TAKE[pool]} RETURNING *
    ), booked AS (
      INSERT INTO "${SCHEDULING_SCHEMA}"."appointment" (${APPOINTMENT_COLUMNS.map(([c]) => c).join(', ')}) SELECT ${values} FROM taken RETURNING id
    )
    SELECT taken.* FROM taken, booked`;
}
const TAKE_PLACE: Record<PoolName, string> = { reserved: takePlaceSql('reserved'), general: takePlaceSql('general') };

function appointmentParams(a: Appointment): unknown[] {
  return [
    a.id,
    a.scheduleId,
    a.pool,
    a.status,
    a.patientId,
    a.patientName,
    a.patientSex,
    a.patientBirthDate,
    a.patientInstitutionId,
    a.referralId,
    a.bookedBySubject,
    a.bookedByRoles,
    a.bookedByDepartmentId,
    a.fromWaitlist,
    a.bookedAt,
    a.changedAt,
  ];
}

/** A cancelled place goes back to its pool; after the release a reserved one goes to the general pool. */
const GIVE_BACK = {
  reserved: `UPDATE "${SCHEDULING_SCHEMA}"."schedule" SET reserved_booked = reserved_booked - 1,
    reserved_capacity = CASE WHEN reserve_released THEN reserved_capacity - 1 ELSE reserved_capacity END,
    version = version + 1, updated_at = $2 WHERE id = $1 RETURNING *`,
  general: `UPDATE "${SCHEDULING_SCHEMA}"."schedule" SET general_booked = general_booked - 1, version = version + 1, updated_at = $2
    WHERE id = $1 RETURNING *`,
};

/** Only booked reserved places stay reserved; the flag makes a second run (or a second job) change nothing. */
const RELEASE = `UPDATE "${SCHEDULING_SCHEMA}"."schedule"
  SET released_unused = reserved_capacity - reserved_booked, reserved_capacity = reserved_booked, reserve_released = true,
      version = version + 1, updated_at = $2
  WHERE id = $1 AND NOT reserve_released RETURNING *`;

/**
 * Per institution, department and resource kind: places reserved at publication, places booked
 * through a referral in the reserved pool, reserve released unused, and of the referred patients
 * booked there, how many were seen (attended) within the reservation.
 */
const RESERVED_CAPACITY = `
WITH s AS (
  SELECT * FROM "${SCHEDULING_SCHEMA}"."schedule"
  WHERE ($1::timestamptz IS NULL OR starts_at >= $1) AND ($2::timestamptz IS NULL OR starts_at < $2) AND ($3::text IS NULL OR institution_id = $3)
), pools AS (
  SELECT institution_id, department_id, kind, count(*)::int AS schedules, sum(capacity)::int AS capacity,
    sum(reserved_at_publication)::int AS reserved, sum(released_unused)::int AS released_unused
  FROM s GROUP BY 1, 2, 3
), bookings AS (
  SELECT s.institution_id, s.department_id, s.kind,
    count(*) FILTER (WHERE a.pool = 'reserved' AND a.referral_id IS NOT NULL AND a.status <> 'cancelled')::int AS booked_through_referral,
    count(DISTINCT a.referral_id) FILTER (WHERE a.referral_id IS NOT NULL AND a.status <> 'cancelled')::int AS referred_patients,
    count(DISTINCT a.referral_id) FILTER (WHERE a.pool = 'reserved' AND a.status = 'attended')::int AS seen_within_reservation
  FROM s JOIN "${SCHEDULING_SCHEMA}"."appointment" a ON a.schedule_id = s.id GROUP BY 1, 2, 3
)
SELECT p.*, coalesce(b.booked_through_referral, 0) AS booked_through_referral, coalesce(b.referred_patients, 0) AS referred_patients,
  coalesce(b.seen_within_reservation, 0) AS seen_within_reservation
FROM pools p LEFT JOIN bookings b USING (institution_id, department_id, kind)
ORDER BY p.institution_id, p.department_id, p.kind`;

export interface ReservedCapacityRow {
  institution_id: string;
  department_id: string;
  kind: string;
  schedules: number;
  capacity: number;
  reserved: number;
  released_unused: number;
  booked_through_referral: number;
  referred_patients: number;
  seen_within_reservation: number;
}

/**
 * The SQL of the `schedule` counting row: publication, the conditional take/give-back of a place,
 * the release of the reserve, listings and the reserved-capacity counters. Methods that take an
 * EntityManager run inside the caller's transaction; the others on the app's data source.
 */
@Injectable()
export class ScheduleRepository {
  constructor(@InjectDataSource(SCHEDULING_DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** Takes a place of `pool` and writes the appointment in one statement; null when the pool is full. */
  async takePlace(
    manager: EntityManager,
    pool: PoolName,
    appointment: Appointment,
    now: Date,
  ): Promise<Schedule | null> {
    const rows = (await manager.query(TAKE_PLACE[pool], [now, ...appointmentParams(appointment)])) as Array<
      Record<string, unknown>
    >;
    return rows.length === 0 ? null : fromRaw(manager, Schedule, rows[0]);
  }

  /** Gives a cancelled place back to its pool (the caller holds the row lock). */
  async giveBack(manager: EntityManager, pool: PoolName, scheduleId: string, now: Date): Promise<Schedule> {
    const [rows] = (await manager.query(GIVE_BACK[pool], [scheduleId, now])) as [
      Array<Record<string, unknown>>,
      number,
    ];
    return fromRaw(manager, Schedule, rows[0]);
  }

  /** Releases the unbooked reserve; null when it was released already. */
  async releaseReserve(manager: EntityManager, scheduleId: string, now: Date): Promise<Schedule | null> {
    const [rows] = (await manager.query(RELEASE, [scheduleId, now])) as [Array<Record<string, unknown>>, number];
    return rows.length === 0 ? null : fromRaw(manager, Schedule, rows[0]);
  }

  /** Inserts a publication unless its (institution, externalId) is taken; false when it was. */
  async insertUnlessPublished(manager: EntityManager, row: Schedule): Promise<boolean> {
    const inserted = await manager
      .createQueryBuilder()
      .insert()
      .into(Schedule)
      .values(row)
      .orIgnore()
      .returning(['id'])
      .execute();
    return inserted.raw.length > 0;
  }

  /** Schedules matching the filter, soonest first (from `query.from`, else `defaultFrom`). */
  list(query: ListSchedulesQuery, defaultFrom?: Date): Promise<Schedule[]> {
    const qb = this.dataSource.manager.createQueryBuilder(Schedule, 's');
    filter(qb, query);
    const from = query.from ? new Date(query.from) : defaultFrom;
    if (from) qb.andWhere('s.startsAt >= :from', { from });
    if (query.to) qb.andWhere('s.startsAt < :to', { to: new Date(query.to) });
    return qb
      .orderBy('s.startsAt', 'ASC')
      .addOrderBy('s.id', 'ASC')
      .take(query.limit ?? 50)
      .getMany();
  }

  /** The next sessions of the same department (and kind, and modality) that still have places for `pool`. */
  alternatives(schedule: Schedule, pool: PoolName, limit: number): Promise<Schedule[]> {
    const qb = this.dataSource.manager.createQueryBuilder(Schedule, 's');
    filter(qb, {
      institutionId: schedule.institutionId,
      departmentId: schedule.departmentId,
      kind: schedule.kind,
      modality: schedule.modality ?? undefined,
    });
    qb.andWhere('s.id <> :id', { id: schedule.id }).andWhere('s.startsAt > now()');
    const general = 's.generalBooked < s.capacity - s.reservedCapacity';
    const reserved = 'NOT s.reserveReleased AND s.reservedBooked < s.reservedCapacity AND s.reservedOpensAt <= now()';
    qb.andWhere(pool === 'reserved' ? `((${reserved}) OR (${general} AND s.generalOpensAt <= now()))` : `${general}`);
    return qb.orderBy('s.startsAt', 'ASC').take(limit).getMany();
  }

  /** The reserved-capacity counters per institution, department and kind. */
  reservedCapacity(
    from: string | null,
    to: string | null,
    institutionId: string | null,
  ): Promise<ReservedCapacityRow[]> {
    return this.dataSource.query(RESERVED_CAPACITY, [from, to, institutionId]) as Promise<ReservedCapacityRow[]>;
  }
}

function filter(
  qb: SelectQueryBuilder<Schedule>,
  q: Pick<ListSchedulesQuery, 'institutionId' | 'departmentId' | 'kind' | 'modality'>,
): void {
  if (q.institutionId) qb.andWhere('s.institutionId = :institutionId', { institutionId: q.institutionId });
  if (q.departmentId) qb.andWhere('s.departmentId = :departmentId', { departmentId: q.departmentId });
  if (q.kind) qb.andWhere('s.kind = :kind', { kind: q.kind });
  if (q.modality) qb.andWhere('s.modality = :modality', { modality: q.modality });
}
