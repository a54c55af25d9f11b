import { Injectable, OnModuleInit } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { EntityManager } from 'typeorm';
import { Referral, Status } from '@countylink/contracts';
import { AppMessaging, InvalidEventError } from '@countylink/messaging';
import { DIAGNOSIS_SCHEMA } from '../remote-diagnosis.constants';

const NOT_SHARING = new Set([Status.REJECTED, Status.CANCELLED, Status.UNSPECIFIED]);

/** A newer version wins; a redelivered or late older one changes nothing. */
const UPSERT = `INSERT INTO "${DIAGNOSIS_SCHEMA}"."referral_share" (referral_id, from_institution_id, to_institution_id, patient_id, active, version)
  VALUES ($1, $2, $3, $4, $5, $6)
  ON CONFLICT (referral_id) DO UPDATE SET active = EXCLUDED.active, version = EXCLUDED.version
  WHERE "referral_share".version < EXCLUDED.version`;

async function keepShare(referral: Referral | undefined, manager: EntityManager): Promise<void> {
  if (!referral || !isUUID(referral.id) || !referral.patient?.patientId || !referral.fromInstitutionId || !referral.toInstitutionId) {
    throw new InvalidEventError('referral event without a usable referral');
  }
  await manager.query(UPSERT, [
    referral.id, referral.fromInstitutionId, referral.toInstitutionId, referral.patient.patientId, !NOT_SHARING.has(referral.status), referral.version,
  ]);
}

/** Which institutions may see which patients' results, learnt from referral events only. */
@Injectable()
export class ReferralShareConsumer implements OnModuleInit {
  constructor(private readonly messaging: AppMessaging) {}

  onModuleInit(): void {
    const onReferral = (event: { payload: { referral?: Referral } }, manager: EntityManager) => keepShare(event.payload.referral, manager);
    this.messaging.addConsumer({
      groupId: 'remote-diagnosis.referral-shares',
      handlers: {
        'countylink.referral.requested.v1': onReferral,
        'countylink.referral.rejected.v1': onReferral,
        'countylink.referral.cancelled.v1': onReferral,
      },
    });
  }
}
