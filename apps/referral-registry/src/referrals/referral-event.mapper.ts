import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { MessageInitShape } from '@bufbuild/protobuf';
import {
  Direction,
  GreenChannelCentre as CentreProto,
  ReferralSchema,
  Sex,
  Status,
  Urgency as UrgencyProto,
} from '@countylink/contracts';
import type { Referral } from './referral.entity';
import type { ReferralStatus } from './referral-state-machine';
import type { GreenChannelCentre, Urgency } from './referral-rules';

export const STATUS_PROTO: Record<ReferralStatus, Status> = {
  requested: Status.REQUESTED,
  received: Status.RECEIVED,
  accepted: Status.ACCEPTED,
  rejected: Status.REJECTED,
  arrived: Status.ARRIVED,
  completed: Status.COMPLETED,
  cancelled: Status.CANCELLED,
};

const URGENCY_PROTO: Record<Urgency, UrgencyProto> = {
  routine: UrgencyProto.ROUTINE,
  urgent: UrgencyProto.URGENT,
  emergency: UrgencyProto.EMERGENCY,
};

export const CENTRE_PROTO: Record<GreenChannelCentre, CentreProto> = {
  'chest-pain': CentreProto.CHEST_PAIN,
  stroke: CentreProto.STROKE,
  trauma: CentreProto.TRAUMA,
  maternal: CentreProto.MATERNAL,
  neonatal: CentreProto.NEONATAL,
};

const SEX_PROTO = { male: Sex.MALE, female: Sex.FEMALE, other: Sex.OTHER, unknown: Sex.UNSPECIFIED } as const;

/** The referral as events carry it: no identity number, only its keyed hash. */
export function referralMessage(r: Referral): MessageInitShape<typeof ReferralSchema> {
  return {
    id: r.id,
    direction: r.direction === 'up' ? Direction.UP : Direction.DOWN,
    status: STATUS_PROTO[r.status],
    urgency: URGENCY_PROTO[r.urgency],
    greenChannelCentre: r.greenChannelCentre ? CENTRE_PROTO[r.greenChannelCentre] : CentreProto.UNSPECIFIED,
    patient: {
      patientId: r.patientId,
      name: r.patientName,
      sex: SEX_PROTO[r.patientSex],
      birthDate: r.patientBirthDate ?? '',
      identityNumberHash: r.patientIdentityHash ?? '',
    },
    fromInstitutionId: r.fromInstitutionId,
    fromDepartmentId: r.fromDepartmentId ?? '',
    fromPractitionerId: r.fromPractitionerId,
    toInstitutionId: r.toInstitutionId,
    toDepartmentId: r.toDepartmentId ?? '',
    diagnosis: { code: r.diagnosisCode, display: r.diagnosisDisplay },
    clinicalSummary: r.clinicalSummary,
    reason: r.reason,
    justification: r.justification ?? '',
    continuousDeductible: r.continuousDeductible,
    returnsFromReferralId: r.returnsFromReferralId ?? '',
    rehabilitationPlan: r.rehabilitationPlan ?? '',
    responseDueAt: timestampFromDate(r.responseDueAt),
    createdAt: timestampFromDate(r.createdAt),
    updatedAt: timestampFromDate(r.updatedAt),
    version: r.version,
    directAdmission: r.directAdmission,
  };
}
