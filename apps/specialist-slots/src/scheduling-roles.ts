import { Role } from '@countylink/auth';

/** Who books places: primary care for its patients, the county for its own, HIS systems for either. */
export const BOOKERS = [
  Role.FamilyDoctor,
  Role.TownshipDoctor,
  Role.HisSystem,
  Role.ReferralCoordinator,
  Role.CountySpecialist,
];
/** Who records what happened at the providing institution (attended, no-show). */
export const PROVIDERS = [Role.CountySpecialist, Role.ReferralCoordinator, Role.HisSystem];
export const PUBLISHERS = [Role.GroupAdmin, Role.HisSystem];
export const KPI_READERS = [Role.GroupAdmin, Role.ReferralCoordinator];
