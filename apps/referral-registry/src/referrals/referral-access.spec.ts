import { Principal, Role } from '@countylink/auth';
import { DomainException } from '@countylink/platform';
import type { Referral } from './referral.entity';
import { assertMayAct, canSee, rolesFor } from './referral-access';

/** The two ends that matter to access; the rest of a referral plays no part in these rules. */
type Ends = Pick<Referral, 'direction' | 'fromInstitutionId' | 'toInstitutionId' | 'toDepartmentId'>;

const referral = (ends: Partial<Ends> = {}): Referral =>
  ({
    direction: 'up',
    fromInstitutionId: 'township-a',
    toInstitutionId: 'county-hospital',
    toDepartmentId: 'cardiology',
    ...ends,
  }) as Referral;

/** A chest-pain up-referral from township A to county cardiology, and its down-referral back. */
const up = referral();
const down = referral({
  direction: 'down',
  fromInstitutionId: 'county-hospital',
  toInstitutionId: 'township-a',
  toDepartmentId: 'general-practice',
});

const who = (roles: Role[], institutionId: string, departmentId?: string, sub = 'someone'): Principal => ({
  sub,
  roles,
  institutionId,
  departmentId,
});
const townshipDoctorA = who([Role.TownshipDoctor], 'township-a', 'general-practice');
const familyDoctorA = who([Role.FamilyDoctor, Role.TownshipDoctor], 'township-a', 'family-doctor-team');
const townshipDoctorB = who([Role.TownshipDoctor], 'township-b', 'general-practice');
const hisTownshipA = who([Role.HisSystem], 'township-a');
const hisTownshipB = who([Role.HisSystem], 'township-b');
const hisCounty = who([Role.HisSystem], 'county-hospital');
const cardiologist = who([Role.CountySpecialist], 'county-hospital', 'cardiology');
const neurologist = who([Role.CountySpecialist], 'county-hospital', 'neurology');
const coordinator = who([Role.ReferralCoordinator], 'county-hospital', 'referral-office');
const groupAdmin = who([Role.GroupAdmin], 'county-hospital');

/** The refusal an action gets, or undefined when it is allowed. */
function refusal(fn: () => void): { code: string; message: string } | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    if (!(err instanceof DomainException)) throw err;
    return { code: err.code, message: err.message };
  }
}

const NOT_SENDER = { code: 'REFERRAL_NOT_ALLOWED', message: 'Only the sending institution may do this' };
const NOT_RECEIVER = { code: 'REFERRAL_NOT_ALLOWED', message: 'Only the receiving institution may do this' };
const rolesNeeded = (roles: Role[]) => ({
  code: 'REFERRAL_NOT_ALLOWED',
  message: `This action needs one of the roles: ${roles.join(', ')}`,
});

describe('referral access', () => {
  describe('rolesFor', () => {
    it('names who acts for each end of an up-referral', () => {
      expect(rolesFor('up', 'sender')).toEqual([Role.TownshipDoctor, Role.FamilyDoctor, Role.HisSystem]);
      expect(rolesFor('up', 'receiver')).toEqual([Role.ReferralCoordinator, Role.CountySpecialist, Role.HisSystem]);
    });

    it('names who acts for each end of a down-referral, the county ones sending', () => {
      expect(rolesFor('down', 'sender')).toEqual([Role.CountySpecialist, Role.ReferralCoordinator, Role.HisSystem]);
      expect(rolesFor('down', 'receiver')).toEqual([Role.TownshipDoctor, Role.FamilyDoctor, Role.HisSystem]);
    });

    it('never lets the group admin act for either end', () => {
      for (const direction of ['up', 'down'] as const) {
        for (const side of ['sender', 'receiver'] as const)
          expect(rolesFor(direction, side)).not.toContain(Role.GroupAdmin);
      }
    });
  });

  describe('canSee', () => {
    it('shows a referral to everyone of the sending and of the receiving institution, whatever their role', () => {
      expect(canSee(townshipDoctorA, up)).toBe(true);
      expect(canSee(hisTownshipA, up)).toBe(true);
      expect(canSee(cardiologist, up)).toBe(true);
      // Another department of the receiving institution sees it too: seeing is by institution.
      expect(canSee(neurologist, up)).toBe(true);
      expect(canSee(coordinator, down)).toBe(true);
      expect(canSee(familyDoctorA, down)).toBe(true);
    });

    it('hides it from other institutions, including another township, its HIS and the parent township of a village', () => {
      expect(canSee(townshipDoctorB, up)).toBe(false);
      expect(canSee(hisTownshipB, up)).toBe(false);
      expect(canSee(townshipDoctorB, down)).toBe(false);
      const fromVillage = referral({ fromInstitutionId: 'village-a1' });
      expect(canSee(townshipDoctorA, fromVillage)).toBe(false);
      expect(canSee(who([Role.TownshipDoctor], 'village-a1'), fromVillage)).toBe(true);
    });

    it('shows the group administration every referral, of any institution', () => {
      const elsewhere = referral({ fromInstitutionId: 'township-c', toInstitutionId: 'another-county' });
      expect(canSee(groupAdmin, elsewhere)).toBe(true);
      expect(canSee(who([Role.GroupAdmin], 'township-b'), up)).toBe(true);
      // The role does it, not the county: a county specialist does not see a referral between others.
      expect(canSee(cardiologist, elsewhere)).toBe(false);
    });
  });

  describe('assertMayAct on an up-referral', () => {
    it('lets the sending township doctor, family doctor and HIS act as sender', () => {
      expect(refusal(() => assertMayAct(townshipDoctorA, up, 'sender'))).toBeUndefined();
      expect(refusal(() => assertMayAct(familyDoctorA, up, 'sender'))).toBeUndefined();
      expect(refusal(() => assertMayAct(hisTownshipA, up, 'sender'))).toBeUndefined();
    });

    it('refuses the sender side to another institution before looking at roles', () => {
      expect(refusal(() => assertMayAct(townshipDoctorB, up, 'sender'))).toEqual(NOT_SENDER);
      expect(refusal(() => assertMayAct(hisTownshipB, up, 'sender'))).toEqual(NOT_SENDER);
      // The receiving institution cannot cancel in the sender's place.
      expect(refusal(() => assertMayAct(coordinator, up, 'sender'))).toEqual(NOT_SENDER);
      expect(refusal(() => assertMayAct(groupAdmin, up, 'sender'))).toEqual(NOT_SENDER);
    });

    it('refuses the sender side to roles of the sending institution that do not send up', () => {
      const adminOfA = who([Role.GroupAdmin], 'township-a');
      expect(refusal(() => assertMayAct(adminOfA, up, 'sender'))).toEqual(rolesNeeded(rolesFor('up', 'sender')));
      expect(refusal(() => assertMayAct(who([Role.ReferralCoordinator], 'township-a'), up, 'sender'))).toEqual(
        rolesNeeded(rolesFor('up', 'sender')),
      );
      expect(refusal(() => assertMayAct(who([], 'township-a'), up, 'sender'))).toEqual(
        rolesNeeded(rolesFor('up', 'sender')),
      );
    });

    it('lets the receiving referral office, the HIS and the specialists of the named department act as receiver', () => {
      expect(refusal(() => assertMayAct(coordinator, up, 'receiver'))).toBeUndefined();
      expect(refusal(() => assertMayAct(hisCounty, up, 'receiver'))).toBeUndefined();
      expect(refusal(() => assertMayAct(cardiologist, up, 'receiver'))).toBeUndefined();
    });

    it('refuses a specialist of another department of the receiving institution, naming the department', () => {
      expect(refusal(() => assertMayAct(neurologist, up, 'receiver'))).toEqual({
        code: 'REFERRAL_NOT_ALLOWED',
        message: 'This referral is for department cardiology',
      });
    });

    it('lets a specialist who also holds the office or HIS role answer for any department', () => {
      expect(
        refusal(() =>
          assertMayAct(
            who([Role.CountySpecialist, Role.ReferralCoordinator], 'county-hospital', 'neurology'),
            up,
            'receiver',
          ),
        ),
      ).toBeUndefined();
      expect(
        refusal(() =>
          assertMayAct(who([Role.CountySpecialist, Role.HisSystem], 'county-hospital', 'neurology'), up, 'receiver'),
        ),
      ).toBeUndefined();
    });

    it('lets any specialist of the receiving institution answer a referral that names no department', () => {
      const toCounty = referral({ toDepartmentId: null });
      expect(refusal(() => assertMayAct(neurologist, toCounty, 'receiver'))).toBeUndefined();
      expect(refusal(() => assertMayAct(cardiologist, toCounty, 'receiver'))).toBeUndefined();
    });

    it('lets a specialist whose token names no department answer for any department (current rule)', () => {
      // The department check only runs when the principal has a departmentId; assertMayRead refuses this case.
      expect(
        refusal(() => assertMayAct(who([Role.CountySpecialist], 'county-hospital'), up, 'receiver')),
      ).toBeUndefined();
    });

    it('refuses the receiver side to other institutions and to roles that do not receive up', () => {
      expect(refusal(() => assertMayAct(townshipDoctorA, up, 'receiver'))).toEqual(NOT_RECEIVER);
      expect(refusal(() => assertMayAct(hisTownshipA, up, 'receiver'))).toEqual(NOT_RECEIVER);
      expect(
        refusal(() => assertMayAct(who([Role.CountySpecialist], 'township-b', 'cardiology'), up, 'receiver')),
      ).toEqual(NOT_RECEIVER);
      expect(refusal(() => assertMayAct(groupAdmin, up, 'receiver'))).toEqual(rolesNeeded(rolesFor('up', 'receiver')));
      expect(
        refusal(() => assertMayAct(who([Role.TownshipDoctor], 'county-hospital', 'cardiology'), up, 'receiver')),
      ).toEqual(rolesNeeded(rolesFor('up', 'receiver')));
    });
  });

  describe('assertMayAct on a down-referral', () => {
    it('lets the county specialist, the referral office and the county HIS act as sender', () => {
      expect(refusal(() => assertMayAct(cardiologist, down, 'sender'))).toBeUndefined();
      expect(refusal(() => assertMayAct(coordinator, down, 'sender'))).toBeUndefined();
      expect(refusal(() => assertMayAct(hisCounty, down, 'sender'))).toBeUndefined();
    });

    it('does not check the department on the sender side: any county specialist may act for the county', () => {
      const fromCardiology = { ...down, fromDepartmentId: 'cardiology' } as Referral;
      expect(refusal(() => assertMayAct(neurologist, fromCardiology, 'sender'))).toBeUndefined();
    });

    it('refuses the sender side to the township and to county roles that do not send down', () => {
      expect(refusal(() => assertMayAct(townshipDoctorA, down, 'sender'))).toEqual(NOT_SENDER);
      expect(refusal(() => assertMayAct(groupAdmin, down, 'sender'))).toEqual(rolesNeeded(rolesFor('down', 'sender')));
      expect(refusal(() => assertMayAct(who([Role.TownshipDoctor], 'county-hospital'), down, 'sender'))).toEqual(
        rolesNeeded(rolesFor('down', 'sender')),
      );
    });

    it('lets the receiving township doctor, family doctor and HIS act as receiver, whatever their department', () => {
      expect(refusal(() => assertMayAct(townshipDoctorA, down, 'receiver'))).toBeUndefined();
      expect(refusal(() => assertMayAct(familyDoctorA, down, 'receiver'))).toBeUndefined();
      expect(refusal(() => assertMayAct(hisTownshipA, down, 'receiver'))).toBeUndefined();
    });

    it('refuses the receiver side to another township and to a specialist or office of the receiving institution', () => {
      expect(refusal(() => assertMayAct(townshipDoctorB, down, 'receiver'))).toEqual(NOT_RECEIVER);
      expect(refusal(() => assertMayAct(cardiologist, down, 'receiver'))).toEqual(NOT_RECEIVER);
      expect(
        refusal(() => assertMayAct(who([Role.CountySpecialist], 'township-a', 'general-practice'), down, 'receiver')),
      ).toEqual(rolesNeeded(rolesFor('down', 'receiver')));
      expect(refusal(() => assertMayAct(who([Role.ReferralCoordinator], 'township-a'), down, 'receiver'))).toEqual(
        rolesNeeded(rolesFor('down', 'receiver')),
      );
    });
  });
});
