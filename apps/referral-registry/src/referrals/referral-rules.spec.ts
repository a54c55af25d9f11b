import {
  directionOf,
  escalationTarget,
  hashIdentityNumber,
  isInTownshipCatalog,
  isSamePatient,
  isValidIdentityNumber,
  maskIdentityNumber,
  responseDueAt,
} from './referral-rules';

describe('referral rules', () => {
  it('routes up from primary care to the county and down back, and nothing sideways', () => {
    expect(directionOf('township-centre', 'county-hospital')).toBe('up');
    expect(directionOf('village-clinic', 'county-hospital')).toBe('up');
    expect(directionOf('county-hospital', 'community-centre')).toBe('down');
    expect(directionOf('township-centre', 'township-centre')).toBeUndefined();
    expect(directionOf('county-hospital', 'county-hospital')).toBeUndefined();
  });

  it('matches catalog entries by ICD-10 prefix', () => {
    const catalog = ['J06', 'I10', 'E11.9'];
    expect(isInTownshipCatalog('J06.9', catalog)).toBe(true);
    expect(isInTownshipCatalog('i10', catalog)).toBe(true);
    expect(isInTownshipCatalog('E11.900', catalog)).toBe(true);
    expect(isInTownshipCatalog('E11.2', catalog)).toBe(false);
    expect(isInTownshipCatalog('I21.9', catalog)).toBe(false);
  });

  it('computes the response deadline from urgency', () => {
    const t0 = new Date('2026-11-22T08:00:00Z');
    const limits = { routine: 1440, urgent: 120, emergency: 10 };
    expect(responseDueAt(t0, 'emergency', limits).toISOString()).toBe('2026-11-22T08:10:00.000Z');
    expect(responseDueAt(t0, 'routine', limits).toISOString()).toBe('2026-11-23T08:00:00.000Z');
  });

  it('climbs the escalation ladder and stays at the top', () => {
    expect([1, 2, 3, 4].map(escalationTarget)).toEqual([
      'department-on-duty',
      'department-head',
      'referral-coordinator',
      'referral-coordinator',
    ]);
  });

  it('checks the identity number check character (GB 11643)', () => {
    expect(isValidIdentityNumber('11010519491231002X')).toBe(true);
    expect(isValidIdentityNumber('110105194912310021')).toBe(false);
    expect(isValidIdentityNumber('1101051949123100')).toBe(false);
  });

  it('never exposes the identity number: keyed hash and mask', () => {
    const a = hashIdentityNumber('11010519491231002x', 'k'.repeat(16));
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(a).toBe(hashIdentityNumber('11010519491231002X', 'k'.repeat(16)));
    expect(a).not.toBe(hashIdentityNumber('11010519491231002X', 'j'.repeat(16)));
    expect(maskIdentityNumber('11010519491231002X')).toBe('110***********002X');
  });

  it("takes a down-referral for the up-referral's patient only: identity number when both have one, else name and birth date", () => {
    const up = { name: '王建国', birthDate: '1956-03-14', identityHash: 'h1' };
    expect(isSamePatient(up, { name: '王建国', birthDate: '1956-03-14', identityHash: 'h1' })).toBe(true);
    expect(isSamePatient(up, { name: '王建国', birthDate: '1956-03-14', identityHash: 'h2' })).toBe(false);
    expect(isSamePatient(up, { name: '王建国', birthDate: '1956-03-14' })).toBe(true);
    expect(isSamePatient(up, { name: '王建国 ', birthDate: null })).toBe(true);
    expect(isSamePatient(up, { name: '李明', birthDate: '1956-03-14' })).toBe(false);
    expect(isSamePatient(up, { name: '王建国', birthDate: '1960-01-01' })).toBe(false);
  });
});
