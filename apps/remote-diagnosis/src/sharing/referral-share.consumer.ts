import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Referral, Status } from '@countylink/contracts';
import { AppMessaging, InvalidEventError } from '@countylink/messaging';
import { isUuid } from '@countylink/platform';
import { DIAGNOSIS_SCHEMA } from '../remote-diagnosis.constants';
import { RemoteDiagnosisConfig } from '../remote-diagnosis.config';

const NOT_SHARING = new Set([Status.REJECTED, Status.CANCELLED, Status.UNSPECIFIED]);

/** A newer version wins; a redelivered or late older one changes nothing. */
const UPSERT = `INSERT INTO "${DIAGNOSIS_SCHEMA}"."referral_share" (referral_id, from_institution_id, to_institution_id, patient_id, active, ends_at, version)
  VALUES ($1, $2, $3, $4, $5, $6, $7)
  ON CONFLICT (referral_id) DO UPDATE SET active = EXCLUDED.active, ends_at = EXCLUDED.ends_at, version = EXCLUDED.version
  WHERE "referral_share".version < EXCLUDED.version`;

async function keepShare(referral: Referral | undefined, at: Date, daysAfterCompletion: number, manager: EntityManager): Promise<void> {
  if (!referral || !isUuid(referral.id) || !referral.patient?.patientId || !referral.fromInstitutionId || !referral.toInstitutionId) {
    throw new InvalidEventError('referral event without a usable referral');
  }
  // The period runs from the completion itself (the event's time), not from when it is consumed.
  const endsAt = referral.status === Status.COMPLETED ? new Date(at.getTime() + daysAfterCompletion * 86_400_000) : null;
  await manager.query(UPSERT, [
    referral.id, referral.fromInstitutionId, referral.toInstitutionId, referral.patient.patientId, !NOT_SHARING.has(referral.status), endsAt, referral.version,
  ]);
}

/** Which institutions may see which patients' results, learnt from referral events only. */
@Injectable()
export class ReferralShareConsumer implements OnModuleInit {
  constructor(private readonly messaging: AppMessaging, private readonly config: RemoteDiagnosisConfig) {}

  onModuleInit(): void {
    const days = this.config.REFERRAL_SHARE_DAYS_AFTER_COMPLETION;
    const onReferral = (event: { time: Date; payload: { referral?: Referral } }, manager: EntityManager) => keepShare(event.payload.referral, event.time, days, manager);
    this.messaging.addConsumer({
      groupId: 'remote-diagnosis.referral-shares',
      handlers: {
        'countylink.referral.requested.v1': onReferral,
        'countylink.referral.rejected.v1': onReferral,
        'countylink.referral.cancelled.v1': onReferral,
        'countylink.referral.completed.v1': onReferral,
      },
    });
  }
}
