import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Referral, Status } from '@countylink/contracts';
import { AppMessaging, InvalidEventError } from '@countylink/messaging';
import { isUuid } from '@countylink/platform';
import { RemoteDiagnosisConfig } from '../remote-diagnosis.config';
import { ReferralShareRepository } from './referral-share.repository';

const NOT_SHARING = new Set([Status.REJECTED, Status.CANCELLED, Status.UNSPECIFIED]);

async function keepShare(
  shares: ReferralShareRepository,
  referral: Referral | undefined,
  at: Date,
  daysAfterCompletion: number,
  manager: EntityManager,
): Promise<void> {
  if (
    !referral ||
    !isUuid(referral.id) ||
    !referral.patient?.patientId ||
    !referral.fromInstitutionId ||
    !referral.toInstitutionId
  ) {
    throw new InvalidEventError('referral event without a usable referral');
  }
  // The period runs from the completion itself (the event's time), not from when it is consumed.
  const endsAt =
    referral.status === Status.COMPLETED ? new Date(at.getTime() + daysAfterCompletion * 86_400_000) : null;
  await shares.keep(manager, {
    referralId: referral.id,
    fromInstitutionId: referral.fromInstitutionId,
    toInstitutionId: referral.toInstitutionId,
    patientId: referral.patient.patientId,
    active: !NOT_SHARING.has(referral.status),
    endsAt,
    version: referral.version,
  });
}

/** Which institutions may see which patients' results, learnt from referral events only. */
@Injectable()
export class ReferralShareConsumer implements OnModuleInit {
  constructor(
    private readonly messaging: AppMessaging,
    private readonly config: RemoteDiagnosisConfig,
    private readonly shares: ReferralShareRepository,
  ) {}

  onModuleInit(): void {
    const days = this.config.REFERRAL_SHARE_DAYS_AFTER_COMPLETION;
    const onReferral = (event: { time: Date; payload: { referral?: Referral } }, manager: EntityManager) =>
      keepShare(this.shares, event.payload.referral, event.time, days, manager);
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
