import { readFileSync } from 'node:fs';
import { ALL_ROLES, Role } from '../roles';

/** A demo member of the directory seed, as the console's sign-in page lists it. */
export interface DemoLogin {
  login: string;
  name: string;
  roles: Role[];
  institutionId: string;
  institutionName: string;
  departmentId: string | null;
  departmentName: string | null;
}

interface SeedFile {
  institutions?: Array<{ id: string; name: string; departments?: Array<{ id: string; name: string }> }>;
  members?: Array<{ id: string; name: string; institutionId: string; departmentId?: string; roles: string[] }>;
}

/** Service accounts (HIS) sign in with `npm run token`, not on a clinician's screen. */
const PEOPLE: readonly Role[] = [
  Role.TownshipDoctor,
  Role.FamilyDoctor,
  Role.CountySpecialist,
  Role.ReferralCoordinator,
  Role.GroupAdmin,
];

/** The people of the directory seed, in the seed's order; none when there is no seed file. */
export function readDemoLogins(seedFile: string | undefined): DemoLogin[] {
  if (!seedFile) return [];
  const seed = JSON.parse(readFileSync(seedFile, 'utf8')) as SeedFile;
  const institutions = new Map((seed.institutions ?? []).map((i) => [i.id, i]));
  return (seed.members ?? []).flatMap((m) => {
    const roles = m.roles.filter((r): r is Role => ALL_ROLES.includes(r));
    if (!roles.some((r) => PEOPLE.includes(r))) return [];
    const institution = institutions.get(m.institutionId);
    const department = institution?.departments?.find((d) => d.id === m.departmentId);
    return [
      {
        login: m.id,
        name: m.name,
        roles,
        institutionId: m.institutionId,
        institutionName: institution?.name ?? m.institutionId,
        departmentId: m.departmentId ?? null,
        departmentName: department?.name ?? null,
      },
    ];
  });
}
