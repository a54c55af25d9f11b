import type { Referral } from './referral.entity';
import type { ReferralHistory } from './referral-history.entity';

/** The JSON a clinician or HIS sees for a referral. */
export function referralView(r: Referral) {
  return {
    id: r.id,
    direction: r.direction,
    status: r.status,
    urgency: r.urgency,
    greenChannel: r.greenChannelCentre ? { centre: r.greenChannelCentre } : null,
    directAdmission: r.directAdmission,
    patient: {
      patientId: r.patientId,
      name: r.patientName,
      sex: r.patientSex,
      birthDate: r.patientBirthDate,
      identityNumberMasked: r.patientIdentityMasked,
    },
    from: {
      institutionId: r.fromInstitutionId,
      departmentId: r.fromDepartmentId,
      practitionerId: r.fromPractitionerId,
    },
    to: { institutionId: r.toInstitutionId, departmentId: r.toDepartmentId },
    diagnosis: { code: r.diagnosisCode, display: r.diagnosisDisplay, inTownshipCatalog: r.inTownshipCatalog },
    clinicalSummary: r.clinicalSummary,
    reason: r.reason,
    justification: r.justification,
    continuousDeductible: r.continuousDeductible,
    returnsFromReferralId: r.returnsFromReferralId,
    rehabilitationPlan: r.rehabilitationPlan,
    // A patient whose condition the township treats should go back down once the county is done.
    downReferralExpected:
      r.direction === 'up' && r.inTownshipCatalog && (r.status === 'arrived' || r.status === 'completed'),
    responseDueAt: r.responseDueAt.toISOString(),
    escalationLevel: r.escalationLevel,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    version: r.version,
  };
}

export function historyView(h: ReferralHistory) {
  return {
    action: h.action,
    fromStatus: h.fromStatus,
    toStatus: h.toStatus,
    by: { subject: h.actorSubject, institutionId: h.actorInstitutionId, roles: h.actorRoles },
    reason: h.reason,
    at: h.at.toISOString(),
  };
}

export type ReferralView = ReturnType<typeof referralView>;
