import { matchConditions, pageOf, QueryKeyError } from './qido-matching';

describe('QIDO matching', () => {
  it('turns wildcards into LIKE, case-insensitive for names, and equality when there is none', () => {
    expect(matchConditions({ PatientID: 'TA-*' }, ['study'])).toEqual([
      { sql: 's.patientId LIKE :q0', params: { q0: 'TA-%' } },
    ]);
    expect(matchConditions({ PatientName: 'wang*' }, ['study'])).toEqual([
      { sql: 's.patientName ILIKE :q0', params: { q0: 'wang%' } },
    ]);
    expect(matchConditions({ PatientName: 'Wang^Jianguo' }, ['study'])).toEqual([
      { sql: 's.patientName = :q0', params: { q0: 'Wang^Jianguo' } },
    ]);
  });

  it('matches each word of a fuzzy person name to the start of a name component, escaping LIKE characters', () => {
    const [c] = matchConditions({ PatientName: 'jian wa_ng', fuzzymatching: 'true' }, ['study']);
    expect(c.sql).toBe(
      "(' ' || translate(s.patientName, '^=', '  ')) ILIKE :q0w0 AND (' ' || translate(s.patientName, '^=', '  ')) ILIKE :q0w1",
    );
    expect(c.params).toEqual({ q0w0: '% jian%', q0w1: '% wa\\_ng%' });
    // Without fuzzymatching=true the same value is a plain match.
    expect(matchConditions({ PatientName: 'jian', fuzzymatching: 'false' }, ['study'])[0].sql).toBe(
      's.patientName = :q0',
    );
  });

  it('refuses keys of another level, repeated keys, bad dates and bad pages', () => {
    expect(() => matchConditions({ SOPInstanceUID: '1.2' }, ['study'])).toThrow(QueryKeyError);
    expect(() => matchConditions({ PatientID: ['a', 'b'] }, ['study'])).toThrow(/more than once/);
    expect(() => matchConditions({ StudyDate: '2026-12' }, ['study'])).toThrow(/YYYYMMDD/);
    expect(() => pageOf({ limit: '-1' })).toThrow(QueryKeyError);
    expect(pageOf({ limit: '0', offset: '5' })).toEqual({ limit: 1, offset: 5 });
  });
});
