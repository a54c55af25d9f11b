import { Role } from '@countylink/auth';
import { Rooms, roomsFor } from './rooms';

describe('roomsFor', () => {
  it('puts a township doctor in their own, their institution and their department rooms only', () => {
    const rooms = roomsFor({
      sub: 'dr-a',
      roles: [Role.TownshipDoctor],
      institutionId: 'township-a',
      departmentId: 'general-practice',
    });
    expect(rooms).toEqual(['user:dr-a', 'institution:township-a', 'department:township-a:general-practice']);
  });

  it('adds the referral desk for coordinators, by role or by directory duty', () => {
    const byRole = roomsFor({ sub: 'c', roles: [Role.ReferralCoordinator], institutionId: 'county-hospital' });
    expect(byRole).toContain(Rooms.referralDesk('county-hospital'));
    const byDuty = roomsFor(
      { sub: 'c', roles: [Role.CountySpecialist], institutionId: 'county-hospital' },
      { duty: 'coordinator' },
    );
    expect(byDuty).toContain(Rooms.referralDesk('county-hospital'));
  });

  it('adds a reading worklist for specialists of a reading department, from the directory', () => {
    const ecg = roomsFor(
      { sub: 's', roles: [Role.CountySpecialist], institutionId: 'county-hospital' },
      { departmentId: 'ecg-room', departmentSpecialty: 'electrocardiography' },
    );
    expect(ecg).toEqual([
      'user:s',
      'institution:county-hospital',
      'department:county-hospital:ecg-room',
      'worklist:county-hospital:reads:ecg',
    ]);
    const notSpecialist = roomsFor(
      { sub: 'h', roles: [Role.HisSystem], institutionId: 'county-hospital' },
      { departmentSpecialty: 'radiology' },
    );
    expect(notSpecialist).toEqual(['user:h', 'institution:county-hospital']);
  });

  it('trusts the token department over the directory', () => {
    const rooms = roomsFor(
      { sub: 's', roles: [Role.CountySpecialist], institutionId: 'county-hospital', departmentId: 'cardiology' },
      { departmentId: 'neurology' },
    );
    expect(rooms).toContain('department:county-hospital:cardiology');
    expect(rooms).not.toContain('department:county-hospital:neurology');
  });
});
