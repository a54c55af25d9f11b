import { Principal, Role } from '@countylink/auth';
import { DomainException } from '@countylink/platform';
import { assertMayAssign, assertMayRead, canSeeRead } from './read-access';

/**
 * The whole of read-access, role by role (read-access.spec.ts has the department routing of issue #12):
 * who sees a read, who reads it, who gives it to whom (指派).
 */
const who = (roles: Role[], institutionId: string, departmentId?: string, sub = 'someone'): Principal => ({
  sub,
  roles,
  institutionId,
  departmentId,
});

/** A township A ECG, read by the county's ECG room; an X-ray of township B routed to no department. */
const ecgRead = {
  requestingInstitutionId: 'township-a',
  readingInstitutionId: 'county-hospital',
  readingDepartmentId: 'ecg-room',
};
const unrouted = {
  requestingInstitutionId: 'township-b',
  readingInstitutionId: 'county-hospital',
  readingDepartmentId: null,
};

interface Member {
  institutionId: string;
  departmentId: string | null;
  roles: string[];
  duty: string | null;
}
const member = (
  institutionId: string,
  departmentId: string | null,
  roles: string[],
  duty: string | null = null,
): Member => ({ institutionId, departmentId, roles, duty });

const ecgHead = member('county-hospital', 'ecg-room', [Role.CountySpecialist], 'department-head');
const ecgSpecialist = member('county-hospital', 'ecg-room', [Role.CountySpecialist], 'on-duty');
const cardiologyHead = member('county-hospital', 'cardiology', [Role.CountySpecialist], 'department-head');
const cardiologist = member('county-hospital', 'cardiology', [Role.CountySpecialist], 'on-duty');

const headPrincipal = who([Role.CountySpecialist], 'county-hospital', 'ecg-room', 'county-ecg-head');
const groupAdmin = who([Role.GroupAdmin], 'county-hospital', undefined, 'group-admin');

function refusal(fn: () => void): { code: string; message: string; details: unknown } | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    if (!(err instanceof DomainException)) throw err;
    return { code: err.code, message: err.message, details: err.details };
  }
}

const NOT_ASSIGNER_ECG = {
  code: 'READ_NOT_ALLOWED',
  message: 'Only the head of ecg-room or the group admin assigns this read',
  details: undefined,
};
const BAD_ASSIGNEE_ECG = {
  code: 'READ_ASSIGNEE_INVALID',
  message: 'readerId must name a county specialist of ecg-room',
  details: { readingDepartmentId: 'ecg-room' },
};

describe('read access rules', () => {
  describe('canSeeRead', () => {
    it('shows a read to anyone of the requesting institution and of the reading institution, whatever their role', () => {
      expect(canSeeRead(who([Role.TownshipDoctor], 'township-a'), ecgRead)).toBe(true);
      expect(canSeeRead(who([Role.HisSystem], 'township-a'), ecgRead)).toBe(true);
      expect(canSeeRead(who([Role.CountySpecialist], 'county-hospital', 'neurology'), ecgRead)).toBe(true);
      expect(canSeeRead(who([Role.ReferralCoordinator], 'county-hospital'), ecgRead)).toBe(true);
    });

    it('hides it from other townships, including the group admin of another institution (no group-wide view of reads)', () => {
      expect(canSeeRead(who([Role.TownshipDoctor], 'township-b'), ecgRead)).toBe(false);
      expect(canSeeRead(who([Role.HisSystem], 'township-b'), ecgRead)).toBe(false);
      expect(canSeeRead(who([Role.CountySpecialist], 'another-county', 'ecg-room'), ecgRead)).toBe(false);
      // Unlike referrals, the group admin's role opens nothing here: only its institution counts.
      expect(canSeeRead(who([Role.GroupAdmin], 'township-c'), ecgRead)).toBe(false);
      expect(canSeeRead(groupAdmin, ecgRead)).toBe(true);
    });
  });

  describe('assertMayRead', () => {
    it('lets a specialist of the routed department of the reading institution claim, release and report', () => {
      expect(
        refusal(() => assertMayRead(who([Role.CountySpecialist], 'county-hospital', 'ecg-room'), ecgRead)),
      ).toBeUndefined();
      expect(
        refusal(() =>
          assertMayRead(who([Role.CountySpecialist, Role.GroupAdmin], 'county-hospital', 'ecg-room'), ecgRead),
        ),
      ).toBeUndefined();
    });

    it('refuses the requesting side, the group admin, the referral office and the HIS, naming the reading institution', () => {
      const notReader = {
        code: 'READ_NOT_ALLOWED',
        message: 'Only a county specialist of county-hospital reads this',
        details: undefined,
      };
      expect(refusal(() => assertMayRead(who([Role.TownshipDoctor], 'township-a'), ecgRead))).toEqual(notReader);
      expect(refusal(() => assertMayRead(groupAdmin, ecgRead))).toEqual(notReader);
      expect(
        refusal(() => assertMayRead(who([Role.ReferralCoordinator], 'county-hospital', 'ecg-room'), ecgRead)),
      ).toEqual(notReader);
      expect(refusal(() => assertMayRead(who([Role.HisSystem], 'county-hospital'), ecgRead))).toEqual(notReader);
      // A specialist role in another institution does not read for the county.
      expect(refusal(() => assertMayRead(who([Role.CountySpecialist], 'township-a', 'ecg-room'), ecgRead))).toEqual(
        notReader,
      );
    });

    it('refuses a specialist of another department, or of none, with the department in the details', () => {
      const routed = {
        code: 'READ_NOT_ALLOWED',
        message: 'This read is routed to the ecg-room department',
        details: { readingDepartmentId: 'ecg-room' },
      };
      expect(
        refusal(() => assertMayRead(who([Role.CountySpecialist], 'county-hospital', 'radiology'), ecgRead)),
      ).toEqual(routed);
      expect(refusal(() => assertMayRead(who([Role.CountySpecialist], 'county-hospital'), ecgRead))).toEqual(routed);
    });

    it('lets any county specialist read a read routed to no department, even one with no department', () => {
      expect(
        refusal(() => assertMayRead(who([Role.CountySpecialist], 'county-hospital', 'radiology'), unrouted)),
      ).toBeUndefined();
      expect(refusal(() => assertMayRead(who([Role.CountySpecialist], 'county-hospital'), unrouted))).toBeUndefined();
      expect(refusal(() => assertMayRead(who([Role.TownshipDoctor], 'county-hospital'), unrouted))?.code).toBe(
        'READ_NOT_ALLOWED',
      );
    });
  });

  describe('assertMayAssign', () => {
    it('lets the head of the routed department give the read to a specialist of that department, or to themself', () => {
      expect(refusal(() => assertMayAssign(headPrincipal, ecgHead, ecgRead, ecgSpecialist))).toBeUndefined();
      expect(refusal(() => assertMayAssign(headPrincipal, ecgHead, ecgRead, ecgHead))).toBeUndefined();
    });

    it('refuses the head of another department, a plain specialist, an unknown assigner and a township doctor', () => {
      expect(
        refusal(() =>
          assertMayAssign(
            who([Role.CountySpecialist], 'county-hospital', 'cardiology'),
            cardiologyHead,
            ecgRead,
            ecgSpecialist,
          ),
        ),
      ).toEqual(NOT_ASSIGNER_ECG);
      expect(
        refusal(() =>
          assertMayAssign(
            who([Role.CountySpecialist], 'county-hospital', 'ecg-room'),
            ecgSpecialist,
            ecgRead,
            ecgSpecialist,
          ),
        ),
      ).toEqual(NOT_ASSIGNER_ECG);
      expect(refusal(() => assertMayAssign(headPrincipal, null, ecgRead, ecgSpecialist))).toEqual(NOT_ASSIGNER_ECG);
      expect(
        refusal(() =>
          assertMayAssign(
            who([Role.TownshipDoctor], 'township-a'),
            member('township-a', 'general-practice', [Role.TownshipDoctor], 'department-head'),
            ecgRead,
            ecgSpecialist,
          ),
        ),
      ).toEqual(NOT_ASSIGNER_ECG);
    });

    it('takes the head duty from the directory within the reading institution only, for the token and the member both', () => {
      // A department head of that name in another institution.
      const elsewhereHead = member('township-a', 'ecg-room', [Role.CountySpecialist], 'department-head');
      expect(refusal(() => assertMayAssign(headPrincipal, elsewhereHead, ecgRead, ecgSpecialist))).toEqual(
        NOT_ASSIGNER_ECG,
      );
      // The county's head, with a token of another institution.
      expect(
        refusal(() =>
          assertMayAssign(who([Role.CountySpecialist], 'township-a', 'ecg-room'), ecgHead, ecgRead, ecgSpecialist),
        ),
      ).toEqual(NOT_ASSIGNER_ECG);
      // The head duty, not the role, makes the head: a head in the directory without the specialist role may assign.
      expect(
        refusal(() =>
          assertMayAssign(
            who([], 'county-hospital'),
            member('county-hospital', 'ecg-room', [], 'department-head'),
            ecgRead,
            ecgSpecialist,
          ),
        ),
      ).toBeUndefined();
    });

    it('lets any department head of the reading institution assign a read routed to no department', () => {
      const anyDepartment = {
        code: 'READ_NOT_ALLOWED',
        message: 'Only the head of the reading department or the group admin assigns this read',
        details: undefined,
      };
      expect(
        refusal(() =>
          assertMayAssign(
            who([Role.CountySpecialist], 'county-hospital', 'cardiology'),
            cardiologyHead,
            unrouted,
            cardiologist,
          ),
        ),
      ).toBeUndefined();
      expect(
        refusal(() =>
          assertMayAssign(
            who([Role.CountySpecialist], 'county-hospital', 'cardiology'),
            cardiologist,
            unrouted,
            cardiologist,
          ),
        ),
      ).toEqual(anyDepartment);
    });

    it('lets the group admin assign whatever the directory says of them', () => {
      expect(refusal(() => assertMayAssign(groupAdmin, null, ecgRead, ecgSpecialist))).toBeUndefined();
      expect(
        refusal(() =>
          assertMayAssign(groupAdmin, member('county-hospital', null, [Role.GroupAdmin]), ecgRead, ecgSpecialist),
        ),
      ).toBeUndefined();
      // The role is checked on the token alone, not its institution (canSeeRead gates the read before this).
      expect(
        refusal(() => assertMayAssign(who([Role.GroupAdmin], 'township-c'), null, ecgRead, ecgSpecialist)),
      ).toBeUndefined();
    });

    it('refuses an assignee outside the routed department, outside the reading institution, without the role or unknown (422)', () => {
      expect(refusal(() => assertMayAssign(headPrincipal, ecgHead, ecgRead, cardiologist))).toEqual(BAD_ASSIGNEE_ECG);
      expect(
        refusal(() =>
          assertMayAssign(headPrincipal, ecgHead, ecgRead, member('township-a', 'ecg-room', [Role.CountySpecialist])),
        ),
      ).toEqual(BAD_ASSIGNEE_ECG);
      expect(
        refusal(() =>
          assertMayAssign(
            headPrincipal,
            ecgHead,
            ecgRead,
            member('county-hospital', 'ecg-room', [Role.ReferralCoordinator]),
          ),
        ),
      ).toEqual(BAD_ASSIGNEE_ECG);
      expect(
        refusal(() =>
          assertMayAssign(headPrincipal, ecgHead, ecgRead, member('county-hospital', null, [Role.CountySpecialist])),
        ),
      ).toEqual(BAD_ASSIGNEE_ECG);
      expect(refusal(() => assertMayAssign(groupAdmin, null, ecgRead, null))).toEqual(BAD_ASSIGNEE_ECG);
    });

    it('names the reading institution for an unfit assignee of a read routed to no department', () => {
      expect(refusal(() => assertMayAssign(groupAdmin, null, unrouted, cardiologist))).toBeUndefined();
      expect(
        refusal(() =>
          assertMayAssign(groupAdmin, null, unrouted, member('township-b', 'general-practice', [Role.TownshipDoctor])),
        ),
      ).toEqual({
        code: 'READ_ASSIGNEE_INVALID',
        message: 'readerId must name a county specialist of county-hospital',
        details: { readingDepartmentId: null },
      });
    });

    it('checks the assigner before the assignee: a refused assigner gets 403 even for an unfit assignee', () => {
      expect(
        refusal(() =>
          assertMayAssign(who([Role.CountySpecialist], 'county-hospital', 'ecg-room'), ecgSpecialist, ecgRead, null),
        ),
      ).toEqual(NOT_ASSIGNER_ECG);
    });
  });
});
