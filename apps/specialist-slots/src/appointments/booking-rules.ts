/**
 * Who may take a reserved place: a family doctor (家庭医生), for a patient their own institution
 * referred to the schedule's institution and department, while that referral is open.
 */
export type ReferralStatus = 'requested' | 'received' | 'accepted' | 'rejected' | 'arrived' | 'completed' | 'cancelled';

const OPEN: readonly ReferralStatus[] = ['requested', 'received', 'accepted', 'arrived'];

export function isOpenReferral(status: ReferralStatus): boolean {
  return OPEN.includes(status);
}

export interface ReferralFacts {
  status: ReferralStatus;
  direction: 'up' | 'down';
  fromInstitutionId: string;
  toInstitutionId: string;
  toDepartmentId: string | null;
}

export type ReservedRefusal =
  'needs-family-doctor' | 'referral-required' | 'no-open-referral' | 'referral-closed' | 'other-department';

/**
 * Returns why a reserved booking is refused, or null. A referral of another institution is answered
 * like an unknown one, so referral ids of other institutions cannot be probed.
 */
export function reservedRefusal(
  actor: { roles: readonly string[]; institutionId: string },
  referralId: string | undefined,
  referral: ReferralFacts | null,
  schedule: { institutionId: string; departmentId: string },
): ReservedRefusal | null {
  if (!actor.roles.includes('family-doctor')) return 'needs-family-doctor';
  if (!referralId) return 'referral-required';
  if (!referral || referral.fromInstitutionId !== actor.institutionId || referral.direction !== 'up')
    return 'no-open-referral';
  if (!isOpenReferral(referral.status)) return 'referral-closed';
  if (referral.toInstitutionId !== schedule.institutionId || referral.toDepartmentId !== schedule.departmentId)
    return 'other-department';
  return null;
}

/** A general booking with a referral still links it, but only to an open referral of the caller's institution. */
export function generalReferralRefusal(
  actor: { institutionId: string },
  referral: ReferralFacts | null,
): 'no-open-referral' | 'referral-closed' | null {
  if (!referral || referral.fromInstitutionId !== actor.institutionId) return 'no-open-referral';
  return isOpenReferral(referral.status) ? null : 'referral-closed';
}
