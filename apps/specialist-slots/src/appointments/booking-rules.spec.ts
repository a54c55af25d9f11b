import { generalReferralRefusal, ReferralFacts, reservedRefusal } from './booking-rules';

const familyDoctor = { roles: ['family-doctor', 'township-doctor'], institutionId: 'township-a' };
const schedule = { institutionId: 'county-hospital', departmentId: 'cardiology' };
const referral: ReferralFacts = {
  status: 'accepted',
  direction: 'up',
  fromInstitutionId: 'township-a',
  toInstitutionId: 'county-hospital',
  toDepartmentId: 'cardiology',
};

describe('who may take a reserved place', () => {
  it('lets a family doctor book for an open referral of their institution to that department', () => {
    expect(reservedRefusal(familyDoctor, 'r1', referral, schedule)).toBeNull();
    expect(reservedRefusal(familyDoctor, 'r1', { ...referral, status: 'requested' }, schedule)).toBeNull();
  });

  it('refuses other roles, missing or foreign referrals, closed referrals and other departments', () => {
    expect(reservedRefusal({ roles: ['township-doctor'], institutionId: 'township-a' }, 'r1', referral, schedule)).toBe(
      'needs-family-doctor',
    );
    expect(reservedRefusal(familyDoctor, undefined, null, schedule)).toBe('referral-required');
    expect(reservedRefusal(familyDoctor, 'r1', null, schedule)).toBe('no-open-referral');
    expect(reservedRefusal(familyDoctor, 'r1', { ...referral, fromInstitutionId: 'township-b' }, schedule)).toBe(
      'no-open-referral',
    );
    expect(reservedRefusal(familyDoctor, 'r1', { ...referral, direction: 'down' }, schedule)).toBe('no-open-referral');
    for (const status of ['rejected', 'completed', 'cancelled'] as const) {
      expect(reservedRefusal(familyDoctor, 'r1', { ...referral, status }, schedule)).toBe('referral-closed');
    }
    expect(reservedRefusal(familyDoctor, 'r1', { ...referral, toDepartmentId: 'neurology' }, schedule)).toBe(
      'other-department',
    );
    expect(reservedRefusal(familyDoctor, 'r1', { ...referral, toDepartmentId: null }, schedule)).toBe(
      'other-department',
    );
  });

  it('links a general booking only to an open referral of the caller', () => {
    expect(generalReferralRefusal({ institutionId: 'township-a' }, referral)).toBeNull();
    expect(generalReferralRefusal({ institutionId: 'township-b' }, referral)).toBe('no-open-referral');
    expect(generalReferralRefusal({ institutionId: 'township-a' }, { ...referral, status: 'completed' })).toBe(
      'referral-closed',
    );
  });
});
