import { MATCH_KEYS, matchConditions, pageOf, QueryKeyError, QueryLevel } from './qido-matching';

/**
 * Every matching form QIDO-RS queries take here (PS3.18 §8.3.4, PS3.4 C.2.2.2), one by one, as the
 * SQL condition and parameters it becomes (qido-matching.spec.ts has the first cases of each).
 */
const STUDY: QueryLevel[] = ['study'];
const SERIES: QueryLevel[] = ['study', 'series'];
const INSTANCE: QueryLevel[] = ['study', 'series', 'instance'];

const one = (query: Record<string, unknown>, levels: QueryLevel[] = INSTANCE) => {
  const conditions = matchConditions(query, levels);
  expect(conditions).toHaveLength(1);
  return conditions[0];
};

const fuzzyPart = (column: string, param: string) => `(' ' || translate(${column}, '^=', '  ')) ILIKE :${param}`;

describe('QIDO matching forms', () => {
  describe('keys and levels', () => {
    it('knows each key by keyword or by tag, the tag in either case', () => {
      expect(one({ PatientID: 'TA-001' })).toEqual({ sql: 's.patientId = :q0', params: { q0: 'TA-001' } });
      expect(one({ '00100020': 'TA-001' })).toEqual({ sql: 's.patientId = :q0', params: { q0: 'TA-001' } });
      expect(one({ '0020000d': '1.2.3' })).toEqual({
        sql: 's.studyInstanceUid IN (:...q0)',
        params: { q0: ['1.2.3'] },
      });
    });

    it('takes keywords as PS3.6 spells them: another case is not a key', () => {
      expect(() => matchConditions({ patientid: 'TA-001' }, STUDY)).toThrow(QueryKeyError);
      expect(() => matchConditions({ PATIENTID: 'TA-001' }, STUDY)).toThrow(/PATIENTID is not a matching key/);
    });

    it('offers the keys of the resource’s levels only, and says which they are', () => {
      const studyKeys =
        'StudyInstanceUID, PatientID, PatientName, AccessionNumber, StudyDate, StudyDescription, ReferringPhysicianName, ModalitiesInStudy';
      expect(() => matchConditions({ SOPInstanceUID: '1.2' }, STUDY)).toThrow(
        `SOPInstanceUID is not a matching key of this resource; use ${studyKeys}, limit, offset`,
      );
      expect(() => matchConditions({ Modality: 'DX' }, STUDY)).toThrow(QueryKeyError);
      expect(() => matchConditions({ InstanceNumber: '1' }, SERIES)).toThrow(
        `InstanceNumber is not a matching key of this resource; use ${studyKeys}, SeriesInstanceUID, Modality, SeriesNumber, limit, offset`,
      );
      expect(() => matchConditions({ Colour: 'red' }, INSTANCE)).toThrow(
        /^Colour is not a matching key of this resource/,
      );
      // Study keys work on the series and instance resources too.
      expect(one({ AccessionNumber: 'A1' }, SERIES)).toEqual({ sql: 's.accessionNumber = :q0', params: { q0: 'A1' } });
      expect(one({ Modality: 'DX' }, INSTANCE)).toEqual({ sql: 'se.modality = :q0', params: { q0: 'DX' } });
    });

    it('has one key per keyword and per tag, each at its level', () => {
      expect(new Set(MATCH_KEYS.map((k) => k.keyword)).size).toBe(MATCH_KEYS.length);
      expect(new Set(MATCH_KEYS.map((k) => k.tag)).size).toBe(MATCH_KEYS.length);
      expect(MATCH_KEYS.filter((k) => k.level === 'series').map((k) => k.keyword)).toEqual([
        'SeriesInstanceUID',
        'Modality',
        'SeriesNumber',
      ]);
      expect(MATCH_KEYS.filter((k) => k.level === 'instance').map((k) => k.keyword)).toEqual([
        'SOPInstanceUID',
        'SOPClassUID',
        'InstanceNumber',
      ]);
    });

    it('passes over the control parameters, in any case', () => {
      expect(matchConditions({ limit: '5', offset: '10', includefield: 'all', fuzzymatching: 'true' }, STUDY)).toEqual(
        [],
      );
      expect(
        matchConditions({ Limit: '5', OFFSET: '1', includeField: '00081030', FuzzyMatching: 'false' }, STUDY),
      ).toEqual([]);
    });

    it('refuses a key given more than once (an array from the query string)', () => {
      expect(() => matchConditions({ StudyDate: ['20261101', '20261102'] }, STUDY)).toThrow(
        'StudyDate is given more than once',
      );
    });

    it('numbers the parameters of the conditions it makes, in query order, skipping universal matches', () => {
      expect(
        matchConditions({ PatientID: '*', AccessionNumber: 'A1', StudyDate: '20261101', Modality: 'ct' }, SERIES),
      ).toEqual([
        { sql: 's.accessionNumber = :q0', params: { q0: 'A1' } },
        { sql: 's.studyDate = :q1', params: { q1: '20261101' } },
        { sql: 'se.modality = :q2', params: { q2: 'CT' } },
      ]);
    });
  });

  describe('universal matching', () => {
    it('drops an empty value, a lone * and blanks', () => {
      expect(
        matchConditions({ PatientID: '', PatientName: '*', AccessionNumber: '   ', StudyDate: ' * ' }, STUDY),
      ).toEqual([]);
    });

    it('keeps ** as a LIKE that matches everything', () => {
      expect(one({ PatientID: '**' })).toEqual({ sql: 's.patientId LIKE :q0', params: { q0: '%%' } });
    });
  });

  describe('UID list matching', () => {
    it('matches one UID or a list of them, comma or backslash separated, blanks trimmed', () => {
      expect(one({ StudyInstanceUID: '1.2.840.10008.1' })).toEqual({
        sql: 's.studyInstanceUid IN (:...q0)',
        params: { q0: ['1.2.840.10008.1'] },
      });
      expect(one({ StudyInstanceUID: '1.2.3,1.2.4' }).params).toEqual({ q0: ['1.2.3', '1.2.4'] });
      expect(one({ StudyInstanceUID: '1.2.3\\1.2.4' }).params).toEqual({ q0: ['1.2.3', '1.2.4'] });
      expect(one({ StudyInstanceUID: ' 1.2.3 , 1.2.4 ,' }).params).toEqual({ q0: ['1.2.3', '1.2.4'] });
    });

    it('has a column per UID key', () => {
      expect(one({ SeriesInstanceUID: '1.2' }).sql).toBe('se.seriesInstanceUid IN (:...q0)');
      expect(one({ SOPInstanceUID: '1.2' }).sql).toBe('i.sopInstanceUid IN (:...q0)');
      expect(one({ SOPClassUID: '1.2.840.10008.5.1.4.1.1.9.1.1' })).toEqual({
        sql: 'i.sopClassUid IN (:...q0)',
        params: { q0: ['1.2.840.10008.5.1.4.1.1.9.1.1'] },
      });
    });

    it('refuses what is not a UID: letters, wildcards, more than 64 characters', () => {
      expect(() => matchConditions({ StudyInstanceUID: '1.2.abc' }, STUDY)).toThrow(
        'StudyInstanceUID must be a UID or a list of UIDs',
      );
      expect(() => matchConditions({ StudyInstanceUID: '1.2.*' }, STUDY)).toThrow(QueryKeyError);
      expect(() => matchConditions({ SOPInstanceUID: '1.2.3,x' }, INSTANCE)).toThrow(
        'SOPInstanceUID must be a UID or a list of UIDs',
      );
      expect(one({ StudyInstanceUID: '1.'.repeat(32) }).params).toEqual({ q0: ['1.'.repeat(32)] });
      expect(() => matchConditions({ StudyInstanceUID: `${'1.'.repeat(32)}1` }, STUDY)).toThrow(QueryKeyError);
    });

    it('refuses a value of separators only (an empty IN () would fail in PostgreSQL as a 500)', () => {
      expect(() => matchConditions({ StudyInstanceUID: ',' }, STUDY)).toThrow(
        'StudyInstanceUID must be a UID or a list of UIDs',
      );
      expect(() => matchConditions({ SeriesInstanceUID: ' \\ ' }, SERIES)).toThrow(QueryKeyError);
    });
  });

  describe('wildcard matching', () => {
    it('turns * into % and ? into _, case-sensitively for identifiers', () => {
      expect(one({ PatientID: 'TA-*' })).toEqual({ sql: 's.patientId LIKE :q0', params: { q0: 'TA-%' } });
      expect(one({ PatientID: 'TA-00?' })).toEqual({ sql: 's.patientId LIKE :q0', params: { q0: 'TA-00_' } });
      expect(one({ AccessionNumber: '*ACC?2*' })).toEqual({
        sql: 's.accessionNumber LIKE :q0',
        params: { q0: '%ACC_2%' },
      });
    });

    it('matches a value without wildcards by equality, trimmed', () => {
      expect(one({ PatientID: '  TA-001 ' })).toEqual({ sql: 's.patientId = :q0', params: { q0: 'TA-001' } });
      expect(one({ AccessionNumber: 'QRACC2' })).toEqual({ sql: 's.accessionNumber = :q0', params: { q0: 'QRACC2' } });
    });

    it('escapes LIKE’s own characters, so % _ and \\ match themselves', () => {
      expect(one({ PatientID: 'TA_001' })).toEqual({ sql: 's.patientId LIKE :q0', params: { q0: 'TA\\_001' } });
      expect(one({ PatientID: '100%*' })).toEqual({ sql: 's.patientId LIKE :q0', params: { q0: '100\\%%' } });
      expect(one({ AccessionNumber: 'A\\B' })).toEqual({ sql: 's.accessionNumber LIKE :q0', params: { q0: 'A\\\\B' } });
    });

    it('matches descriptions case-insensitively when wildcarded, and exactly when not', () => {
      expect(one({ StudyDescription: 'chest*' })).toEqual({
        sql: 's.studyDescription ILIKE :q0',
        params: { q0: 'chest%' },
      });
      expect(one({ StudyDescription: '*X?RAY*' })).toEqual({
        sql: 's.studyDescription ILIKE :q0',
        params: { q0: '%X_RAY%' },
      });
      expect(one({ StudyDescription: 'Chest PA' })).toEqual({
        sql: 's.studyDescription = :q0',
        params: { q0: 'Chest PA' },
      });
    });
  });

  describe('person name matching', () => {
    it('matches names case-insensitively when wildcarded, and exactly when not', () => {
      expect(one({ PatientName: 'WANG^*' })).toEqual({ sql: 's.patientName ILIKE :q0', params: { q0: 'WANG^%' } });
      expect(one({ PatientName: '王?国' })).toEqual({ sql: 's.patientName ILIKE :q0', params: { q0: '王_国' } });
      expect(one({ PatientName: 'Wang^Jianguo' })).toEqual({
        sql: 's.patientName = :q0',
        params: { q0: 'Wang^Jianguo' },
      });
      expect(one({ ReferringPhysicianName: 'Chen*' })).toEqual({
        sql: 's.referringPhysicianName ILIKE :q0',
        params: { q0: 'Chen%' },
      });
    });

    it('with fuzzymatching=true, asks every word to begin a name component, for both person-name keys', () => {
      const patient = one({ PatientName: 'wang jian', fuzzymatching: 'true' });
      expect(patient).toEqual({
        sql: `${fuzzyPart('s.patientName', 'q0w0')} AND ${fuzzyPart('s.patientName', 'q0w1')}`,
        params: { q0w0: '% wang%', q0w1: '% jian%' },
      });
      const referring = one({ ReferringPhysicianName: 'Chen', fuzzymatching: 'true' });
      expect(referring).toEqual({ sql: fuzzyPart('s.referringPhysicianName', 'q0w0'), params: { q0w0: '% Chen%' } });
    });

    it('splits fuzzy words at blanks, ^, = and commas, and reads * and ? as word breaks', () => {
      expect(one({ PatientName: 'Wang^Jian=王,建', fuzzymatching: 'true' }).params).toEqual({
        q0w0: '% Wang%',
        q0w1: '% Jian%',
        q0w2: '% 王%',
        q0w3: '% 建%',
      });
      expect(one({ PatientName: 'wa*ng?', fuzzymatching: 'true' }).params).toEqual({ q0w0: '% wa%', q0w1: '% ng%' });
    });

    it('uses at most five fuzzy words, and matches anything when only wildcards are left', () => {
      expect(Object.values(one({ PatientName: 'a b c d e f g', fuzzymatching: 'true' }).params)).toEqual([
        '% a%',
        '% b%',
        '% c%',
        '% d%',
        '% e%',
      ]);
      expect(one({ PatientName: '??', fuzzymatching: 'true' })).toEqual({ sql: 'TRUE', params: {} });
      // A lone * is universal matching before fuzzy matching is looked at.
      expect(matchConditions({ PatientName: '*', fuzzymatching: 'true' }, STUDY)).toEqual([]);
    });

    it('escapes LIKE characters in fuzzy words', () => {
      expect(one({ PatientName: '100% li_', fuzzymatching: 'true' }).params).toEqual({
        q0w0: '% 100\\%%',
        q0w1: '% li\\_%',
      });
    });

    it('turns fuzzy matching on only for the exact value true, under any case of the parameter name', () => {
      expect(one({ PatientName: 'jian', FuzzyMatching: 'true' }).sql).toBe(fuzzyPart('s.patientName', 'q0w0'));
      expect(one({ PatientName: 'jian', fuzzymatching: 'TRUE' })).toEqual({
        sql: 's.patientName = :q0',
        params: { q0: 'jian' },
      });
      expect(one({ PatientName: 'jian', fuzzymatching: '1' })).toEqual({
        sql: 's.patientName = :q0',
        params: { q0: 'jian' },
      });
    });

    it('leaves the other keys as they are under fuzzy matching', () => {
      expect(matchConditions({ PatientID: 'TA*', StudyDescription: 'chest', fuzzymatching: 'true' }, STUDY)).toEqual([
        { sql: 's.patientId LIKE :q0', params: { q0: 'TA%' } },
        { sql: 's.studyDescription = :q1', params: { q1: 'chest' } },
      ]);
    });
  });

  describe('date matching', () => {
    it('matches one date by equality', () => {
      expect(one({ StudyDate: '20261101' })).toEqual({ sql: 's.studyDate = :q0', params: { q0: '20261101' } });
    });

    it('matches a closed range and both open ranges', () => {
      expect(one({ StudyDate: '20261101-20261130' })).toEqual({
        sql: 's.studyDate >= :q0a AND s.studyDate <= :q0b',
        params: { q0a: '20261101', q0b: '20261130' },
      });
      expect(one({ StudyDate: '20261101-' })).toEqual({ sql: 's.studyDate >= :q0a', params: { q0a: '20261101' } });
      expect(one({ StudyDate: '-20261130' })).toEqual({ sql: 's.studyDate <= :q0b', params: { q0b: '20261130' } });
    });

    it('reads the old ACR-NEMA form with dots', () => {
      expect(one({ StudyDate: '2026.11.01' })).toEqual({ sql: 's.studyDate = :q0', params: { q0: '20261101' } });
      expect(one({ '00080020': '2026.11.01-2026.11.30' }).params).toEqual({ q0a: '20261101', q0b: '20261130' });
    });

    it('refuses other shapes: ISO dates, partial dates, a lone dash, a time', () => {
      for (const bad of ['2026-11-01', '202611', '-', '20261101-2026113', '20261101T1200', 'yesterday']) {
        expect(() => matchConditions({ StudyDate: bad }, STUDY)).toThrow(
          'StudyDate must be YYYYMMDD or a range YYYYMMDD-YYYYMMDD',
        );
      }
    });

    it('checks the shape only (current behaviour): an impossible date or a reversed range passes through', () => {
      expect(one({ StudyDate: '20261399' }).params).toEqual({ q0: '20261399' });
      expect(one({ StudyDate: '20261130-20261101' }).params).toEqual({ q0a: '20261130', q0b: '20261101' });
    });

    it('refuses two dates without the dash (the second was silently dropped)', () => {
      expect(() => matchConditions({ StudyDate: '2026110120261130' }, STUDY)).toThrow(
        'StudyDate must be YYYYMMDD or a range YYYYMMDD-YYYYMMDD',
      );
    });
  });

  describe('exact matching', () => {
    it('matches Modality exactly, upper-cased, with no wildcards', () => {
      expect(one({ Modality: 'dx' })).toEqual({ sql: 'se.modality = :q0', params: { q0: 'DX' } });
      expect(one({ Modality: ' ecg ' })).toEqual({ sql: 'se.modality = :q0', params: { q0: 'ECG' } });
      expect(one({ Modality: 'D*' })).toEqual({ sql: 'se.modality = :q0', params: { q0: 'D*' } });
    });

    it('matches series and instance numbers as numbers, signed, up to nine digits', () => {
      expect(one({ SeriesNumber: '3' })).toEqual({ sql: 'se.seriesNumber = :q0', params: { q0: 3 } });
      expect(one({ SeriesNumber: '+3' }).params).toEqual({ q0: 3 });
      expect(one({ InstanceNumber: '-1' })).toEqual({ sql: 'i.instanceNumber = :q0', params: { q0: -1 } });
      expect(one({ InstanceNumber: '007' }).params).toEqual({ q0: 7 });
      expect(one({ InstanceNumber: '999999999' }).params).toEqual({ q0: 999999999 });
    });

    it('refuses a number that is not a whole number of at most nine digits, or a wildcard', () => {
      for (const bad of ['3.5', 'three', '1e3', '1234567890', '1*', '--1']) {
        expect(() => matchConditions({ SeriesNumber: bad }, SERIES)).toThrow('SeriesNumber must be a number');
      }
      expect(() => matchConditions({ InstanceNumber: '1?' }, INSTANCE)).toThrow('InstanceNumber must be a number');
    });
  });

  describe('ModalitiesInStudy', () => {
    it('asks for a series of any of the modalities, upper-cased, comma or backslash separated', () => {
      const sql =
        'EXISTS (SELECT 1 FROM "diagnosis".series mse WHERE mse.study_instance_uid = s.study_instance_uid AND mse.modality IN (:...q0))';
      expect(one({ ModalitiesInStudy: 'dx' }, STUDY)).toEqual({ sql, params: { q0: ['DX'] } });
      expect(one({ ModalitiesInStudy: 'DX,ecg' }, STUDY).params).toEqual({ q0: ['DX', 'ECG'] });
      expect(one({ '00080061': 'CR\\DX' }, STUDY).params).toEqual({ q0: ['CR', 'DX'] });
      expect(one({ ModalitiesInStudy: ' dx , , ct ' }, STUDY).params).toEqual({ q0: ['DX', 'CT'] });
    });

    it('refuses a value of separators only', () => {
      expect(() => matchConditions({ ModalitiesInStudy: ',' }, STUDY)).toThrow(
        'ModalitiesInStudy must name at least one modality',
      );
    });
  });

  describe('pageOf', () => {
    it('defaults to the first hundred', () => {
      expect(pageOf({})).toEqual({ limit: 100, offset: 0 });
    });

    it('takes a limit from 1 to 1000 (0 counts as 1) and an offset up to a million', () => {
      expect(pageOf({ limit: '1000', offset: '1000000' })).toEqual({ limit: 1000, offset: 1_000_000 });
      expect(pageOf({ limit: '0' })).toEqual({ limit: 1, offset: 0 });
      expect(pageOf({ limit: '007', offset: '020' })).toEqual({ limit: 7, offset: 20 });
    });

    it('refuses more, fractions, signs, words and repeated parameters', () => {
      expect(() => pageOf({ limit: '1001' })).toThrow('limit must be a whole number up to 1000');
      expect(() => pageOf({ offset: '1000001' })).toThrow('offset must be a whole number up to 1000000');
      expect(() => pageOf({ offset: '10000000' })).toThrow('offset must be a whole number up to 1000000');
      for (const bad of ['1.5', '+5', '-5', 'ten', '']) expect(() => pageOf({ limit: bad })).toThrow(QueryKeyError);
      expect(() => pageOf({ limit: ['5', '6'] })).toThrow('limit must be a whole number up to 1000');
    });

    it('reads only the lower-case names (current behaviour: Limit is passed over by matching and by paging)', () => {
      expect(pageOf({ Limit: '5', OFFSET: '10' })).toEqual({ limit: 100, offset: 0 });
    });
  });
});
