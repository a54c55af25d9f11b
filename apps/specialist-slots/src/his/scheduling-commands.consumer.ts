import { Injectable, OnModuleInit } from '@nestjs/common';
import { timestampDate } from '@bufbuild/protobuf/wkt';
import { Role } from '@countylink/auth';
import { BookAppointment, Pool, PublishSchedule, ResourceKind as KindProto, Sex } from '@countylink/contracts';
import { commandDto, HisCommandGate, staffPrincipal, unsetIfEmpty } from '@countylink/his-gateway';
import { AppMessaging, isMemberWithRole } from '@countylink/messaging';
import { CommonErrorCode, DomainException, isUuid } from '@countylink/platform';
import { AppointmentChangesService } from '../appointments/appointment-changes.service';
import { BookAppointmentDto, CancelAppointmentDto } from '../appointments/dtos/book-appointment.dto';
import { BookingService, PoolFull } from '../appointments/booking.service';
import { CreateScheduleDto } from '../schedules/dtos/create-schedule.dto';
import { ResourceKind } from '../schedules/reserved-pool';
import { ScheduleService } from '../schedules/schedule.service';
import { SchedulingErrorCode } from '../scheduling.exception';

const KIND: Partial<Record<KindProto, ResourceKind>> = {
  [KindProto.CLINIC_SESSION]: 'clinic-session',
  [KindProto.WARD_BEDS]: 'ward-beds',
  [KindProto.EXAM]: 'exam',
};
const POOL: Partial<Record<Pool, 'reserved' | 'general'>> = { [Pool.RESERVED]: 'reserved', [Pool.GENERAL]: 'general' };
const SEX: Record<Sex, 'male' | 'female' | 'other' | 'unknown'> = {
  [Sex.UNSPECIFIED]: 'unknown',
  [Sex.MALE]: 'male',
  [Sex.FEMALE]: 'female',
  [Sex.OTHER]: 'other',
};

function scheduleDto(c: PublishSchedule): CreateScheduleDto {
  return commandDto(CreateScheduleDto, {
    kind: KIND[c.kind] ?? 'unspecified',
    departmentId: c.departmentId,
    practitionerId: unsetIfEmpty(c.practitionerId),
    modality: unsetIfEmpty(c.modality),
    startsAt: c.startsAt ? timestampDate(c.startsAt).toISOString() : undefined,
    endsAt: c.endsAt ? timestampDate(c.endsAt).toISOString() : undefined,
    capacity: c.capacity,
    reservedShare: c.reservedShare || undefined,
    externalId: unsetIfEmpty(c.externalId),
  });
}

function bookingDto(c: BookAppointment): BookAppointmentDto {
  return commandDto(BookAppointmentDto, {
    scheduleId: c.scheduleId,
    pool: POOL[c.pool],
    referralId: unsetIfEmpty(c.referralId),
    patient: c.patient?.patientId
      ? {
          patientId: c.patient.patientId,
          name: c.patient.name,
          sex: SEX[c.patient.sex],
          birthDate: unsetIfEmpty(c.patient.birthDate),
        }
      : undefined,
  });
}

/** Scheduling commands that member HIS systems send, each on its own countylink.his-commands.v1.<institution>. */
@Injectable()
export class SchedulingCommandsConsumer implements OnModuleInit {
  constructor(
    private readonly messaging: AppMessaging,
    private readonly schedules: ScheduleService,
    private readonly bookings: BookingService,
    private readonly changes: AppointmentChangesService,
    private readonly gate: HisCommandGate,
  ) {}

  onModuleInit(): void {
    this.messaging.addConsumer(
      this.gate.consumer('specialist-slots.his-commands', {
        'countylink.his-commands.publish-schedule.v1': (event, manager) =>
          this.gate.run(manager, event, async (his, m) => {
            const { body } = await this.schedules.publishWithin(m, his, scheduleDto(event.payload));
            return { schedule_id: body.id };
          }),
        'countylink.his-commands.book-appointment.v1': (event, manager) =>
          this.gate.run(manager, event, async (his, m) => {
            const named = event.payload.practitionerId;
            if (named && !(await isMemberWithRole(m, named, his.institutionId, Role.FamilyDoctor))) {
              throw new DomainException(
                SchedulingErrorCode.NOT_A_FAMILY_DOCTOR,
                `practitioner_id names no family doctor (家庭医生) of ${his.institutionId} in the directory`,
              );
            }
            try {
              const { appointment, schedule } = await this.bookings.bookWithin(
                m,
                staffPrincipal(his, named, Role.FamilyDoctor),
                bookingDto(event.payload),
                new Date(),
              );
              return { appointment_id: appointment.id, schedule_id: schedule.id };
            } catch (err) {
              if (err instanceof PoolFull) throw await this.bookings.poolFull(err);
              throw err;
            }
          }),
        'countylink.his-commands.cancel-appointment.v1': (event, manager) =>
          this.gate.run(manager, event, async (his, m) => {
            const dto = commandDto(CancelAppointmentDto, { reason: event.payload.reason });
            if (!isUuid(event.payload.appointmentId)) {
              throw new DomainException(CommonErrorCode.VALIDATION_FAILED, 'appointment_id must be an appointment id');
            }
            await this.changes.changeWithin(m, his, event.payload.appointmentId, 'cancel', dto.reason);
            return { appointment_id: event.payload.appointmentId };
          }),
      }),
    );
  }
}
