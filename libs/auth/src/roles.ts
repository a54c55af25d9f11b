/** Roles as they appear in the token's `roles` claim (docs/rules.md, "Who is who"). */
export enum Role {
  TownshipDoctor = 'township-doctor',
  FamilyDoctor = 'family-doctor',
  CountySpecialist = 'county-specialist',
  ReferralCoordinator = 'referral-coordinator',
  GroupAdmin = 'group-admin',
  HisSystem = 'his-system',
}

export const ALL_ROLES: readonly string[] = Object.values(Role);

/** Who a request acts as: taken from a verified token, never from the request body. */
export interface Principal {
  sub: string;
  roles: Role[];
  institutionId: string;
  departmentId?: string;
}

export function hasAnyRole(principal: Principal, roles: readonly Role[]): boolean {
  return principal.roles.some((role) => roles.includes(role));
}
