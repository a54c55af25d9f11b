import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { timestampDate } from '@bufbuild/protobuf/wkt';
import { Direction, Referral, Sex, Status } from '@countylink/contracts';
import { AppMessaging, EventHandlers, InvalidEventError } from '@countylink/messaging';
import { isUuid } from '@countylink/platform';
import type { ReferralStatus } from '../appointments/booking-rules';
import { SCHEDULING_SCHEMA } from '../specialist-slots.constants';

const STATUS: Partial<Record<Status, ReferralStatus>> = {
  [Status.REQUESTED]: 'requested',
  [Status.RECEIVED]: 'received',
  [Status.ACCEPTED]: 'accepted',
  [Status.REJECTED]: 'rejected',
  [Status.ARRIVED]: 'arrived',
  [Status.COMPLETED]: 'completed',
  [Status.CANCELLED]: 'cancelled',
};
const SEX = { [Sex.MALE]: 'male', [Sex.FEMALE]: 'female', [Sex.OTHER]: 'other', [Sex.UNSPECIFIED]: 'unknown' } as const;

/** Newer versions win; a redelivered or late older snapshot changes nothing. */
const UPSERT = `INSERT INTO "${SCHEDULING_SCHEMA}"."referral_snapshot"
  (id, status, direction, patient_id, patient_name, patient_sex, patient_birth_date, from_institution_id, from_practitioner_id,
   to_institution_id, to_department_id, version, updated_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
  ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, direction = EXCLUDED.direction, patient_id = EXCLUDED.patient_id,
    patient_name = EXCLUDED.patient_name, patient_sex = EXCLUDED.patient_sex, patient_birth_date = EXCLUDED.patient_birth_date,
    from_institution_id = EXCLUDED.from_institution_id, from_practitioner_id = EXCLUDED.from_practitioner_id,
    to_institution_id = EXCLUDED.to_institution_id, to_department_id = EXCLUDED.to_department_id,
    version = EXCLUDED.version, updated_at = EXCLUDED.updated_at
  WHERE "referral_snapshot".version < EXCLUDED.version`;

async function keep(referral: Referral | undefined, manager: EntityManager): Promise<void> {
  const status = referral ? STATUS[referral.status] : undefined;
  if (!referral || !isUuid(referral.id) || !status || !referral.patient) throw new InvalidEventError('referral event without a usable referral');
  const direction = referral.direction === Direction.UP ? 'up' : referral.direction === Direction.DOWN ? 'down' : undefined;
  if (!direction) throw new InvalidEventError(`referral ${referral.id} has no direction`);
  const updatedAt = referral.updatedAt ? timestampDate(referral.updatedAt) : new Date();
  await manager.query(UPSERT, [
    referral.id, status, direction, referral.patient.patientId, referral.patient.name, SEX[referral.patient.sex] ?? 'unknown',
    referral.patient.birthDate || null, referral.fromInstitutionId, referral.fromPractitionerId, referral.toInstitutionId,
    referral.toDepartmentId || null, referral.version, updatedAt,
  ]);
}

/** Every referral event carries the referral as it is after the change. */
const onReferral = async (event: { payload: { referral?: Referral } }, manager: EntityManager) => keep(event.payload.referral, manager);

/** This app learns which referrals are open, to whom and for which patient, only from referral events. */
@Injectable()
export class ReferralSnapshotConsumer implements OnModuleInit {
  constructor(private readonly messaging: AppMessaging) {}

  onModuleInit(): void {
    const handlers: EventHandlers = {
      'countylink.referral.requested.v1': onReferral,
      'countylink.referral.received.v1': onReferral,
      'countylink.referral.accepted.v1': onReferral,
      'countylink.referral.rejected.v1': onReferral,
      'countylink.referral.arrived.v1': onReferral,
      'countylink.referral.completed.v1': onReferral,
      'countylink.referral.cancelled.v1': onReferral,
    };
    this.messaging.addConsumer({ groupId: 'specialist-slots.referrals', handlers });
  }
}
