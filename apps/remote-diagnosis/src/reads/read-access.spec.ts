import { Principal, Role } from '@countylink/auth';
import { DomainException } from '@countylink/platform';
import { assertMayRead, canSeeRead } from './read-access';

const specialist = (departmentId: string | undefined, institutionId = 'county-hospital'): Principal => ({
  sub: `reader-${departmentId}`,
  roles: [Role.CountySpecialist],
  institutionId,
  departmentId,
});
const ecgRead = {
  requestingInstitutionId: 'township-a',
  readingInstitutionId: 'county-hospital',
  readingDepartmentId: 'ecg-room',
};

function refusal(fn: () => void): DomainException | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return err as DomainException;
  }
}

describe('read access', () => {
  it('shows a read to the requesting and the reading institution only', () => {
    expect(canSeeRead(specialist('ecg-room'), ecgRead)).toBe(true);
    expect(canSeeRead({ sub: 'd', roles: [Role.TownshipDoctor], institutionId: 'township-a' }, ecgRead)).toBe(true);
    expect(canSeeRead({ sub: 'd', roles: [Role.TownshipDoctor], institutionId: 'township-b' }, ecgRead)).toBe(false);
  });

  it('lets the routed department read, and refuses another department, another institution and other roles', () => {
    expect(refusal(() => assertMayRead(specialist('ecg-room'), ecgRead))).toBeUndefined();
    const cardiology = refusal(() => assertMayRead(specialist('cardiology'), ecgRead));
    expect(cardiology).toMatchObject({ code: 'READ_NOT_ALLOWED' });
    expect(cardiology?.message).toContain('ecg-room');
    expect(refusal(() => assertMayRead(specialist(undefined), ecgRead))).toMatchObject({ code: 'READ_NOT_ALLOWED' });
    expect(refusal(() => assertMayRead(specialist('ecg-room', 'township-a'), ecgRead))).toMatchObject({
      code: 'READ_NOT_ALLOWED',
    });
    expect(
      refusal(() =>
        assertMayRead(
          { sub: 'c', roles: [Role.ReferralCoordinator], institutionId: 'county-hospital', departmentId: 'ecg-room' },
          ecgRead,
        ),
      ),
    ).toMatchObject({ code: 'READ_NOT_ALLOWED' });
  });

  it('lets any specialist of the reading institution read a read routed to no department', () => {
    expect(
      refusal(() => assertMayRead(specialist('cardiology'), { ...ecgRead, readingDepartmentId: null })),
    ).toBeUndefined();
  });
});
