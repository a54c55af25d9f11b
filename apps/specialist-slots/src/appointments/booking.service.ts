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
import { uniqueViolation } from '../schedules/raw-row';
import { PoolName, poolState } from '../schedules/reserved-pool';
import { Schedule } from '../schedules/schedule.entity';
import { ScheduleRepository } from '../schedules/schedule.repository';
import { ScheduleService } from '../schedules/schedule.service';
import { scheduleView } from '../schedules/schedule.view';
import { appointmentMessage, scheduleMessage } from '../schedules/scheduling-event.mapper';
import { SCHEDULING_DATA_SOURCE } from '../specialist-slots.constants';
import { Appointment } from './appointment.entity';
import { appointmentView, AppointmentView } from './appointment.view';
import { generalReferralRefusal, reservedRefusal } from './booking-rules';
import { BookAppointmentDto } from './dtos/book-appointment.dto';
import { refusalException } from './referral-refusal';

/** The pool had no place left when this booking reached the row; alternatives are looked up after rollback. */
export class PoolFull extends Error {
  constructor(
    readonly schedule: Schedule,
    readonly pool: PoolName,
  ) {
    super('pool full');
  }
}

@Injectable()
export class BookingService {
  constructor(
    @InjectDataSource(SCHEDULING_DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly schedules: ScheduleService,
    private readonly events: EventPublisher,
    private readonly scheduleRows: ScheduleRepository,
  ) {}

  async book(principal: Principal, dto: BookAppointmentDto, key: string): Promise<IdempotentResult<AppointmentView>> {
    try {
      return await runIdempotent(
        this.dataSource,
        `appointment:${principal.institutionId}:${principal.sub}`,
        key,
        dto,
        async (manager) => {
          const appointment = await this.bookWithin(manager, principal, dto, new Date());
          return { status: 201, body: appointmentView(appointment.appointment, scheduleView(appointment.schedule)) };
        },
      );
    } catch (err) {
      if (!(err instanceof PoolFull)) throw err;
      throw await this.poolFull(err);
    }
  }

  /** The 409 of a full pool, with where else to go (the next sessions with places). */
  async poolFull(err: PoolFull): Promise<DomainException> {
    const alternatives = await this.schedules.alternatives(err.schedule, err.pool);
    return new DomainException(
      SchedulingErrorCode.POOL_FULL,
      `No ${err.pool} place is left in this ${err.schedule.kind}`,
      {
        scheduleId: err.schedule.id,
        pool: err.pool,
        alternatives,
        ...(err.pool === 'reserved'
          ? {
              waitlist:
                'POST /api/waitlist with scheduleId and referralId to be offered the next reserved place that comes free',
            }
          : {}),
      },
    );
  }

  /**
   * Takes a place inside the caller's transaction (HTTP, HIS command); throws PoolFull when none is
   * left. The schedule is not read first: the place-taking statement returns it, and the checks that
   * need it run on that row (a refusal rolls the place back with the transaction), so a booking costs
   * one statement on the schedule, and only a refused or full one reads it.
   */
  async bookWithin(manager: EntityManager, principal: Principal, dto: BookAppointmentDto, now: Date) {
    const pool: PoolName =
      dto.pool ?? (dto.referralId && hasAnyRole(principal, [Role.FamilyDoctor]) ? 'reserved' : 'general');
    const referral = dto.referralId ? await manager.findOneBy(ReferralSnapshot, { id: dto.referralId }) : null;
    if (referral && dto.patient) {
      throw new DomainException(
        SchedulingErrorCode.PATIENT_REQUIRED,
        "With a referral the patient is the referral's: leave out patient",
      );
    }
    const patient = referral
      ? {
          patientId: referral.patientId,
          name: referral.patientName,
          sex: referral.patientSex,
          birthDate: referral.patientBirthDate,
        }
      : dto.patient
        ? { ...dto.patient, birthDate: dto.patient.birthDate ?? null }
        : undefined;
    if (!patient) {
      // What the referral check says comes first: an unknown or foreign referral is why there is no patient.
      assertMayBook(principal, pool, dto, referral, await this.scheduleOr404(manager, dto.scheduleId));
      throw new DomainException(
        SchedulingErrorCode.PATIENT_REQUIRED,
        'Say whom the place is for: referralId or patient',
      );
    }

    const appointment: Appointment = {
      id: randomUUID(),
      scheduleId: dto.scheduleId,
      pool,
      status: 'booked',
      patientId: patient.patientId,
      patientName: patient.name,
      patientSex: patient.sex,
      patientBirthDate: patient.birthDate,
      patientInstitutionId: principal.institutionId,
      referralId: referral?.id ?? null,
      bookedBySubject: principal.sub,
      bookedByRoles: principal.roles,
      bookedByDepartmentId: principal.departmentId ?? null,
      fromWaitlist: false,
      bookedAt: now,
      changedAt: now,
      changedBySubject: null,
      reason: null,
    };
    const after = await alreadyBookedOnConflict(() => this.scheduleRows.takePlace(manager, pool, appointment, now));
    if (!after) {
      const current = await this.scheduleOr404(manager, dto.scheduleId);
      assertMayBook(principal, pool, dto, referral, current);
      assertOpen(current, pool, now);
      throw new PoolFull(current, pool);
    }
    assertMayBook(principal, pool, dto, referral, after);
    assertOpen(after, pool, now);
    await this.events.publish(
      manager,
      'countylink.scheduling.appointment-booked.v1',
      after.id,
      {
        schedule: scheduleMessage(after),
        appointment: appointmentMessage(appointment),
        actor: actorMessage(principal),
        reason: '',
      },
      { subject: `appointment/${appointment.id}`, occurredAt: now },
    );
    return { appointment, schedule: after };
  }

  private async scheduleOr404(manager: EntityManager, id: string): Promise<Schedule> {
    const schedule = await manager.findOneBy(Schedule, { id });
    if (!schedule) throw new DomainException(SchedulingErrorCode.SCHEDULE_NOT_FOUND, `No schedule ${id}`);
    return schedule;
  }
}

/** Who may take a place of this pool with this referral (reserved: a family doctor's open referral to the department). */
function assertMayBook(
  principal: Principal,
  pool: PoolName,
  dto: BookAppointmentDto,
  referral: ReferralSnapshot | null,
  schedule: Schedule,
): void {
  const refusal =
    pool === 'reserved'
      ? reservedRefusal(principal, dto.referralId, referral, schedule)
      : dto.referralId
        ? generalReferralRefusal(principal, referral)
        : undefined;
  if (refusal) throw refusalException(refusal);
}

function assertOpen(schedule: Schedule, pool: PoolName, now: Date): void {
  const state = poolState(pool, schedule, now);
  if (state === 'started')
    throw new DomainException(
      SchedulingErrorCode.SESSION_STARTED,
      'This schedule has started; it takes no more bookings',
    );
  if (state === 'released') {
    throw new DomainException(
      SchedulingErrorCode.RESERVE_RELEASED,
      'The unbooked reserve of this schedule went back to the general pool: book pool general',
      {
        releasedAt: schedule.releaseAt.toISOString(),
      },
    );
  }
  if (state === 'not-yet-open') {
    const opensAt = pool === 'reserved' ? schedule.reservedOpensAt : schedule.generalOpensAt;
    throw new DomainException(SchedulingErrorCode.POOL_NOT_OPEN, `The ${pool} pool opens at ${opensAt.toISOString()}`, {
      opensAt: opensAt.toISOString(),
    });
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
      throw new DomainException(
        SchedulingErrorCode.ALREADY_BOOKED,
        'This patient already holds a place in this schedule',
      );
    }
    throw err;
  }
}
