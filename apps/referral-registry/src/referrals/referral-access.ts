import { hasAnyRole, Principal, Role } from '@countylink/auth';
import { DomainException } from '@countylink/platform';
import type { Referral } from './referral.entity';
import { ReferralErrorCode } from './referral.exception';
import type { ReferralSide } from './referral-state-machine';
import type { Direction } from './referral-rules';

/** Who may act for each end of a referral, by direction. */
const ROLES_BY_SIDE: Record<Direction, Record<ReferralSide, Role[]>> = {
  up: {
    sender: [Role.TownshipDoctor, Role.FamilyDoctor, Role.HisSystem],
    receiver: [Role.ReferralCoordinator, Role.CountySpecialist, Role.HisSystem],
  },
  down: {
    sender: [Role.CountySpecialist, Role.ReferralCoordinator, Role.HisSystem],
    receiver: [Role.TownshipDoctor, Role.FamilyDoctor, Role.HisSystem],
  },
};

export function rolesFor(direction: Direction, side: ReferralSide): Role[] {
  return ROLES_BY_SIDE[direction][side];
}

/**
 * A member institution sees the referrals it sent or received; the group administration sees all.
 * Anything else is answered as if it did not exist (404), so ids cannot be probed.
 */
export function canSee(principal: Principal, referral: Referral): boolean {
  if (hasAnyRole(principal, [Role.GroupAdmin])) return true;
  return referral.fromInstitutionId === principal.institutionId || referral.toInstitutionId === principal.institutionId;
}

export function assertMayAct(principal: Principal, referral: Referral, side: ReferralSide): void {
  const institutionId = side === 'sender' ? referral.fromInstitutionId : referral.toInstitutionId;
  if (principal.institutionId !== institutionId) {
    throw new DomainException(
      ReferralErrorCode.NOT_ALLOWED,
      `Only the ${side === 'sender' ? 'sending' : 'receiving'} institution may do this`,
    );
  }
  const roles = rolesFor(referral.direction, side);
  if (!hasAnyRole(principal, roles)) {
    throw new DomainException(ReferralErrorCode.NOT_ALLOWED, `This action needs one of the roles: ${roles.join(', ')}`);
  }
  // A specialist answers for their own department; the referral office answers for all.
  const specialistOnly =
    hasAnyRole(principal, [Role.CountySpecialist]) &&
    !hasAnyRole(principal, [Role.ReferralCoordinator, Role.HisSystem]);
  if (
    side === 'receiver' &&
    specialistOnly &&
    referral.toDepartmentId &&
    principal.departmentId &&
    principal.departmentId !== referral.toDepartmentId
  ) {
    throw new DomainException(
      ReferralErrorCode.NOT_ALLOWED,
      `This referral is for department ${referral.toDepartmentId}`,
    );
  }
}
