import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { hasAnyRole, Principal, Role } from '@countylink/auth';
import { actorMessage, EventPublisher } from '@countylink/messaging';
import { IdempotentResult, runIdempotent } from '@countylink/persistence';
import { DomainException } from '@countylink/platform';
import { ReferralSnapshot } from '../referrals/referral-snapshot.entity';
import { SchedulingErrorCode } from '../scheduling.exception';
import { fromRaw, uniqueViolation } from '../schedules/raw-row';
import { PoolName, poolState } from '../schedules/reserved-pool';
import { Schedule } from '../schedules/schedule.entity';
import { ScheduleService } from '../schedules/schedule.service';
import { scheduleView } from '../schedules/schedule.view';
import { appointmentMessage, scheduleMessage } from '../schedules/scheduling-event.mapper';
import { SCHEDULING_DATA_SOURCE, SCHEDULING_SCHEMA } from '../specialist-slots.constants';
import { Appointment } from './appointment.entity';
import { appointmentView, AppointmentView } from './appointment.view';
import { generalReferralRefusal, reservedRefusal } from './booking-rules';
import { BookAppointmentDto } from './dtos/book-appointment.dto';
import { refusalException } from './referral-refusal';

/** The pool had no place left when this booking reached the row; alternatives are looked up after rollback. */
export class PoolFull extends Error {
  constructor(readonly schedule: Schedule, readonly pool: PoolName) {
    super('pool full');
  }
}

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
  ['id', 'uuid'], ['schedule_id', 'uuid'], ['pool', 'text'], ['status', 'text'], ['patient_id', 'text'], ['patient_name', 'text'],
  ['patient_sex', 'text'], ['patient_birth_date', 'date'], ['patient_institution_id', 'text'], ['referral_id', 'uuid'],
  ['booked_by_subject', 'text'], ['booked_by_roles', 'text[]'], ['booked_by_department_id', 'text'], ['from_waitlist', 'boolean'],
  ['booked_at', 'timestamptz'], ['changed_at', 'timestamptz'],
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
  return [a.id, a.scheduleId, a.pool, a.status, a.patientId, a.patientName, a.patientSex, a.patientBirthDate, a.patientInstitutionId,
    a.referralId, a.bookedBySubject, a.bookedByRoles, a.bookedByDepartmentId, a.fromWaitlist, a.bookedAt, a.changedAt];
}

@Injectable()
export class BookingService {
  constructor(
    @InjectDataSource(SCHEDULING_DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly schedules: ScheduleService,
    private readonly events: EventPublisher,
  ) {}

  async book(principal: Principal, dto: BookAppointmentDto, key: string): Promise<IdempotentResult<AppointmentView>> {
    try {
      return await runIdempotent(this.dataSource, `appointment:${principal.institutionId}:${principal.sub}`, key, dto, async (manager) => {
        const appointment = await this.bookWithin(manager, principal, dto, new Date());
        return { status: 201, body: appointmentView(appointment.appointment, scheduleView(appointment.schedule)) };
      });
    } catch (err) {
      if (!(err instanceof PoolFull)) throw err;
      throw await this.poolFull(err);
    }
  }

  /** The 409 of a full pool, with where else to go (the next sessions with places). */
  async poolFull(err: PoolFull): Promise<DomainException> {
    const alternatives = await this.schedules.alternatives(err.schedule, err.pool);
    return new DomainException(SchedulingErrorCode.POOL_FULL, `No ${err.pool} place is left in this ${err.schedule.kind}`, {
      scheduleId: err.schedule.id,
      pool: err.pool,
      alternatives,
      ...(err.pool === 'reserved' ? { waitlist: 'POST /api/waitlist with scheduleId and referralId to be offered the next reserved place that comes free' } : {}),
    });
  }

  /** Takes a place inside the caller's transaction (HTTP, HIS command); throws PoolFull when none is left. */
  async bookWithin(manager: EntityManager, principal: Principal, dto: BookAppointmentDto, now: Date) {
    const schedule = await manager.findOneBy(Schedule, { id: dto.scheduleId });
    if (!schedule) throw new DomainException(SchedulingErrorCode.SCHEDULE_NOT_FOUND, `No schedule ${dto.scheduleId}`);
    const pool: PoolName = dto.pool ?? (dto.referralId && hasAnyRole(principal, [Role.FamilyDoctor]) ? 'reserved' : 'general');
    const referral = dto.referralId ? await manager.findOneBy(ReferralSnapshot, { id: dto.referralId }) : null;
    if (pool === 'reserved') {
      const refusal = reservedRefusal(principal, dto.referralId, referral, schedule);
      if (refusal) throw refusalException(refusal);
    } else if (dto.referralId) {
      const refusal = generalReferralRefusal(principal, referral);
      if (refusal) throw refusalException(refusal);
    }
    if (referral && dto.patient) {
      throw new DomainException(SchedulingErrorCode.PATIENT_REQUIRED, 'With a referral the patient is the referral\'s: leave out patient');
    }
    const patient = referral
      ? { patientId: referral.patientId, name: referral.patientName, sex: referral.patientSex, birthDate: referral.patientBirthDate }
      : dto.patient ? { ...dto.patient, birthDate: dto.patient.birthDate ?? null } : undefined;
    if (!patient) throw new DomainException(SchedulingErrorCode.PATIENT_REQUIRED, 'Say whom the place is for: referralId or patient');
    assertOpen(schedule, pool, now);

    const appointment: Appointment = {
      id: randomUUID(), scheduleId: schedule.id, pool, status: 'booked',
      patientId: patient.patientId, patientName: patient.name, patientSex: patient.sex, patientBirthDate: patient.birthDate,
      patientInstitutionId: principal.institutionId, referralId: referral?.id ?? null,
      bookedBySubject: principal.sub, bookedByRoles: principal.roles, bookedByDepartmentId: principal.departmentId ?? null,
      fromWaitlist: false, bookedAt: now, changedAt: now, changedBySubject: null, reason: null,
    };
    const rows = await alreadyBookedOnConflict(() => manager.query(TAKE_PLACE[pool], [now, ...appointmentParams(appointment)]) as Promise<Array<Record<string, unknown>>>);
    if (rows.length === 0) {
      const current = await manager.findOneByOrFail(Schedule, { id: schedule.id });
      assertOpen(current, pool, now);
      throw new PoolFull(current, pool);
    }
    const after = fromRaw(manager, Schedule, rows[0]);
    await this.events.publish(manager, 'countylink.scheduling.appointment-booked.v1', after.id, {
      schedule: scheduleMessage(after), appointment: appointmentMessage(appointment), actor: actorMessage(principal), reason: '',
    }, { subject: `appointment/${appointment.id}`, occurredAt: now });
    return { appointment, schedule: after };
  }
}

function assertOpen(schedule: Schedule, pool: PoolName, now: Date): void {
  const state = poolState(pool, schedule, now);
  if (state === 'started') throw new DomainException(SchedulingErrorCode.SESSION_STARTED, 'This schedule has started; it takes no more bookings');
  if (state === 'released') {
    throw new DomainException(SchedulingErrorCode.RESERVE_RELEASED, 'The unbooked reserve of this schedule went back to the general pool: book pool general', {
      releasedAt: schedule.releaseAt.toISOString(),
    });
  }
  if (state === 'not-yet-open') {
    const opensAt = pool === 'reserved' ? schedule.reservedOpensAt : schedule.generalOpensAt;
    throw new DomainException(SchedulingErrorCode.POOL_NOT_OPEN, `The ${pool} pool opens at ${opensAt.toISOString()}`, { opensAt: opensAt.toISOString() });
  }
}

export async function insertAppointment(manager: EntityManager, appointment: Appointment): Promise<void> {
  await alreadyBookedOnConflict(() => manager.insert(Appointment, appointment));
}

/** One patient holds at most one place per schedule (a partial unique index says so). */
async function alreadyBookedOnConflict<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (uniqueViolation(err) === 'uq_appointment_patient_per_schedule') {
      throw new DomainException(SchedulingErrorCode.ALREADY_BOOKED, 'This patient already holds a place in this schedule');
    }
    throw err;
  }
}
