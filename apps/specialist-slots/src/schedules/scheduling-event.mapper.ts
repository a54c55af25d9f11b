import { MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  AppointmentSchema,
  AppointmentStatus as StatusProto,
  Pool as PoolProto,
  ResourceKind as KindProto,
  ScheduleSchema,
  Sex,
  WaitlistEntrySchema,
} from '@countylink/contracts';
import type { Appointment } from '../appointments/appointment.entity';
import type { AppointmentStatus } from '../appointments/appointment-state-machine';
import type { WaitlistEntry } from '../waitlist/waitlist-entry.entity';
import type { PoolName, ResourceKind } from './reserved-pool';
import type { Schedule } from './schedule.entity';

const KIND: Record<ResourceKind, KindProto> = {
  'clinic-session': KindProto.CLINIC_SESSION,
  'ward-beds': KindProto.WARD_BEDS,
  exam: KindProto.EXAM,
};
const POOL: Record<PoolName, PoolProto> = { reserved: PoolProto.RESERVED, general: PoolProto.GENERAL };
const STATUS: Record<AppointmentStatus, StatusProto> = {
  booked: StatusProto.BOOKED,
  cancelled: StatusProto.CANCELLED,
  'no-show': StatusProto.NO_SHOW,
  attended: StatusProto.ATTENDED,
};
const SEX = { male: Sex.MALE, female: Sex.FEMALE, other: Sex.OTHER, unknown: Sex.UNSPECIFIED } as const;

export function scheduleMessage(s: Schedule): MessageInitShape<typeof ScheduleSchema> {
  return {
    id: s.id,
    kind: KIND[s.kind],
    institutionId: s.institutionId,
    departmentId: s.departmentId,
    practitionerId: s.practitionerId ?? '',
    modality: s.modality ?? '',
    startsAt: timestampFromDate(s.startsAt),
    endsAt: timestampFromDate(s.endsAt),
    capacity: s.capacity,
    reservedShare: s.reservedShare,
    reservedAtPublication: s.reservedAtPublication,
    reservedCapacity: s.reservedCapacity,
    reservedBooked: s.reservedBooked,
    generalCapacity: s.capacity - s.reservedCapacity,
    generalBooked: s.generalBooked,
    reserveReleased: s.reserveReleased,
    releasedUnused: s.releasedUnused,
    reservedOpensAt: timestampFromDate(s.reservedOpensAt),
    generalOpensAt: timestampFromDate(s.generalOpensAt),
    releaseAt: timestampFromDate(s.releaseAt),
    externalId: s.externalId ?? '',
    version: s.version,
  };
}

export function appointmentMessage(a: Appointment): MessageInitShape<typeof AppointmentSchema> {
  return {
    id: a.id,
    scheduleId: a.scheduleId,
    pool: POOL[a.pool],
    status: STATUS[a.status],
    patient: {
      patientId: a.patientId,
      name: a.patientName,
      sex: SEX[a.patientSex],
      birthDate: a.patientBirthDate ?? '',
    },
    patientInstitutionId: a.patientInstitutionId,
    referralId: a.referralId ?? '',
    bookedBy: {
      subject: a.bookedBySubject,
      institutionId: a.patientInstitutionId,
      departmentId: a.bookedByDepartmentId ?? '',
      roles: a.bookedByRoles,
    },
    bookedAt: timestampFromDate(a.bookedAt),
    changedAt: timestampFromDate(a.changedAt),
    fromWaitlist: a.fromWaitlist,
  };
}

export function waitlistEntryMessage(e: WaitlistEntry): MessageInitShape<typeof WaitlistEntrySchema> {
  return {
    id: e.id,
    scheduleId: e.scheduleId,
    referralId: e.referralId,
    institutionId: e.institutionId,
    requestedBySubject: e.requestedBySubject,
    createdAt: timestampFromDate(e.createdAt),
  };
}
