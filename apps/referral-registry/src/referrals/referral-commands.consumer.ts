import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import {
  CreateReferral,
  GreenChannelCentre,
  ReferralAction as ActionProto,
  Sex,
  TransitionReferral,
  Urgency,
} from '@countylink/contracts';
import { commandDto, HisCommandGate, unsetIfEmpty } from '@countylink/his-gateway';
import { AppMessaging } from '@countylink/messaging';
import { CommonErrorCode, DomainException, isUuid } from '@countylink/platform';
import { CreateReferralDto } from './dtos/create-referral.dto';
import { ReferralService } from './referral.service';
import { ReferralAction } from './referral-state-machine';
import { CENTRE_PROTO } from './referral-event.mapper';

const URGENCY: Partial<Record<Urgency, CreateReferralDto['urgency']>> = {
  [Urgency.ROUTINE]: 'routine',
  [Urgency.URGENT]: 'urgent',
  [Urgency.EMERGENCY]: 'emergency',
};
const SEX: Record<Sex, CreateReferralDto['patient']['sex']> = {
  [Sex.UNSPECIFIED]: 'unknown',
  [Sex.MALE]: 'male',
  [Sex.FEMALE]: 'female',
  [Sex.OTHER]: 'other',
};
const CENTRE = Object.fromEntries(Object.entries(CENTRE_PROTO).map(([name, proto]) => [proto, name])) as Partial<
  Record<GreenChannelCentre, CreateReferralDto['greenChannelCentre']>
>;
const ACTION: Partial<Record<ActionProto, ReferralAction>> = {
  [ActionProto.RECEIVE]: 'receive',
  [ActionProto.ACCEPT]: 'accept',
  [ActionProto.REJECT]: 'reject',
  [ActionProto.ARRIVE]: 'arrive',
  [ActionProto.COMPLETE]: 'complete',
  [ActionProto.CANCEL]: 'cancel',
};

function invalid(message: string): never {
  throw new DomainException(CommonErrorCode.VALIDATION_FAILED, message);
}

/** The same checks as the HTTP body: an HIS cannot send what a clinician could not. */
function toCreateDto(command: CreateReferral): CreateReferralDto {
  const plain = {
    patient: command.patient && {
      patientId: command.patient.patientId,
      name: command.patient.name,
      sex: SEX[command.patient.sex] ?? 'unknown',
      birthDate: unsetIfEmpty(command.patient.birthDate),
    },
    toInstitutionId: command.toInstitutionId,
    toDepartmentId: unsetIfEmpty(command.toDepartmentId),
    urgency: URGENCY[command.urgency] ?? invalid('urgency is required'),
    greenChannelCentre: CENTRE[command.greenChannelCentre],
    directAdmission: command.directAdmission || undefined,
    diagnosis: command.diagnosis && { code: command.diagnosis.code, display: command.diagnosis.display },
    clinicalSummary: command.clinicalSummary,
    reason: command.reason,
    justification: unsetIfEmpty(command.justification),
    returnsFromReferralId: unsetIfEmpty(command.returnsFromReferralId),
    rehabilitationPlan: unsetIfEmpty(command.rehabilitationPlan),
  };
  return commandDto(CreateReferralDto, plain);
}

/** Referral commands that member HIS systems send, each on its own countylink.his-commands.v1.<institution>. */
@Injectable()
export class ReferralCommandsConsumer implements OnModuleInit {
  constructor(
    private readonly messaging: AppMessaging,
    private readonly referrals: ReferralService,
    private readonly gate: HisCommandGate,
  ) {}

  onModuleInit(): void {
    this.messaging.addConsumer(
      this.gate.consumer('referral-registry.his-commands', {
        'countylink.his-commands.create-referral.v1': (event, manager) =>
          this.gate.run(manager, event, async (principal, m: EntityManager) => {
            const referral = await this.referrals.createWithin(m, principal, toCreateDto(event.payload));
            return { referral_id: referral.id };
          }),
        'countylink.his-commands.transition-referral.v1': (event, manager) =>
          this.gate.run(manager, event, async (principal, m: EntityManager) => {
            const command: TransitionReferral = event.payload;
            const action = ACTION[command.action] ?? invalid('action is required');
            if (!isUuid(command.referralId)) invalid('referral_id must be a referral id');
            await this.referrals.transitionWithin(
              m,
              principal,
              command.referralId,
              action,
              unsetIfEmpty(command.reason),
            );
            return { referral_id: command.referralId };
          }),
      }),
    );
  }
}
