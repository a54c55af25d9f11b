import { DIAGNOSIS_SCHEMA } from '../remote-diagnosis.constants';

/**
 * QIDO-RS matching (PS3.18 §8.3.4, PS3.4 C.2.2.2): which query keys this server understands and how
 * each matches — UID lists, wildcards (* and ?), date ranges — as plain SQL conditions.
 */
export type MatchKind = 'uid' | 'wildcard' | 'wildcard-ci' | 'person-name' | 'date' | 'exact' | 'modalities';
export type QueryLevel = 'study' | 'series' | 'instance';

export interface MatchKey {
  keyword: string;
  tag: string;
  level: QueryLevel;
  column: string;
  kind: MatchKind;
}

export const MATCH_KEYS: MatchKey[] = [
  { keyword: 'StudyInstanceUID', tag: '0020000D', level: 'study', column: 's.studyInstanceUid', kind: 'uid' },
  { keyword: 'PatientID', tag: '00100020', level: 'study', column: 's.patientId', kind: 'wildcard' },
  { keyword: 'PatientName', tag: '00100010', level: 'study', column: 's.patientName', kind: 'person-name' },
  { keyword: 'AccessionNumber', tag: '00080050', level: 'study', column: 's.accessionNumber', kind: 'wildcard' },
  { keyword: 'StudyDate', tag: '00080020', level: 'study', column: 's.studyDate', kind: 'date' },
  { keyword: 'StudyDescription', tag: '00081030', level: 'study', column: 's.studyDescription', kind: 'wildcard-ci' },
  {
    keyword: 'ReferringPhysicianName',
    tag: '00080090',
    level: 'study',
    column: 's.referringPhysicianName',
    kind: 'person-name',
  },
  { keyword: 'ModalitiesInStudy', tag: '00080061', level: 'study', column: 's.studyInstanceUid', kind: 'modalities' },
  { keyword: 'SeriesInstanceUID', tag: '0020000E', level: 'series', column: 'se.seriesInstanceUid', kind: 'uid' },
  { keyword: 'Modality', tag: '00080060', level: 'series', column: 'se.modality', kind: 'exact' },
  { keyword: 'SeriesNumber', tag: '00200011', level: 'series', column: 'se.seriesNumber', kind: 'exact' },
  { keyword: 'SOPInstanceUID', tag: '00080018', level: 'instance', column: 'i.sopInstanceUid', kind: 'uid' },
  { keyword: 'SOPClassUID', tag: '00080016', level: 'instance', column: 'i.sopClassUid', kind: 'uid' },
  { keyword: 'InstanceNumber', tag: '00200013', level: 'instance', column: 'i.instanceNumber', kind: 'exact' },
];

/** Parameters that are not matching keys and that this server accepts (and may ignore). */
const CONTROL_PARAMS = new Set(['limit', 'offset', 'includefield', 'fuzzymatching']);

export interface Condition {
  sql: string;
  params: Record<string, unknown>;
}

export class QueryKeyError extends Error {}

/** Turns QIDO query parameters into SQL conditions for the levels that the resource covers. */
export function matchConditions(query: Record<string, unknown>, levels: QueryLevel[]): Condition[] {
  const conditions: Condition[] = [];
  const fuzzy = Object.entries(query).some(([name, v]) => name.toLowerCase() === 'fuzzymatching' && v === 'true');
  let n = 0;
  for (const [name, raw] of Object.entries(query)) {
    if (CONTROL_PARAMS.has(name.toLowerCase())) continue;
    const key = MATCH_KEYS.find((k) => k.keyword === name || k.tag === name.toUpperCase());
    if (!key || !levels.includes(key.level)) {
      const known = MATCH_KEYS.filter((k) => levels.includes(k.level)).map((k) => k.keyword);
      throw new QueryKeyError(`${name} is not a matching key of this resource; use ${known.join(', ')}, limit, offset`);
    }
    if (typeof raw !== 'string') throw new QueryKeyError(`${name} is given more than once`);
    const value = raw.trim();
    if (value === '' || value === '*') continue; // universal matching
    const p = `q${n++}`;
    conditions.push(key.kind === 'person-name' && fuzzy ? fuzzyName(key, value, p) : condition(key, value, p));
  }
  return conditions;
}

function condition(key: MatchKey, value: string, p: string): Condition {
  switch (key.kind) {
    case 'uid': {
      const uids = value
        .split(/[,\\]/)
        .map((u) => u.trim())
        .filter(Boolean);
      if (uids.length === 0 || !uids.every((u) => /^[0-9.]{1,64}$/.test(u)))
        throw new QueryKeyError(`${key.keyword} must be a UID or a list of UIDs`);
      return { sql: `${key.column} IN (:...${p})`, params: { [p]: uids } };
    }
    case 'wildcard':
    case 'wildcard-ci':
    case 'person-name': {
      const like = value
        .replace(/[\\%_]/g, (c) => `\\${c}`)
        .replace(/\*/g, '%')
        .replace(/\?/g, '_');
      const op = key.kind === 'wildcard' ? 'LIKE' : 'ILIKE';
      return like === value
        ? { sql: `${key.column} = :${p}`, params: { [p]: value } }
        : { sql: `${key.column} ${op} :${p}`, params: { [p]: like } };
    }
    case 'date': {
      const m = /^(\d{8})?(-)?(\d{8})?$/.exec(value.replace(/\./g, ''));
      if (!m || (!m[1] && !m[3]) || (m[1] && m[3] && !m[2]))
        throw new QueryKeyError(`${key.keyword} must be YYYYMMDD or a range YYYYMMDD-YYYYMMDD`);
      if (!m[2]) return { sql: `${key.column} = :${p}`, params: { [p]: m[1] } };
      const parts: string[] = [];
      const params: Record<string, unknown> = {};
      if (m[1]) {
        parts.push(`${key.column} >= :${p}a`);
        params[`${p}a`] = m[1];
      }
      if (m[3]) {
        parts.push(`${key.column} <= :${p}b`);
        params[`${p}b`] = m[3];
      }
      return { sql: parts.join(' AND '), params };
    }
    case 'exact': {
      if (key.keyword === 'Modality') return { sql: `${key.column} = :${p}`, params: { [p]: value.toUpperCase() } };
      if (!/^[+-]?\d{1,9}$/.test(value)) throw new QueryKeyError(`${key.keyword} must be a number`);
      return { sql: `${key.column} = :${p}`, params: { [p]: Number(value) } };
    }
    case 'modalities': {
      const list = value
        .split(/[,\\]/)
        .map((m) => m.trim().toUpperCase())
        .filter(Boolean);
      if (list.length === 0) throw new QueryKeyError(`${key.keyword} must name at least one modality`);
      return {
        sql: `EXISTS (SELECT 1 FROM "${DIAGNOSIS_SCHEMA}".series mse WHERE mse.study_instance_uid = s.study_instance_uid AND mse.modality IN (:...${p}))`,
        params: { [p]: list },
      };
    }
  }
}

/**
 * fuzzymatching=true on a person name: every word given must begin one of the name's components,
 * in any order and case — `wang jian` finds `Wang^Jianguo`, `jianguo` finds it too.
 */
function fuzzyName(key: MatchKey, value: string, p: string): Condition {
  const words = value
    .replace(/[*?]/g, ' ')
    .split(/[\s^=,]+/)
    .filter(Boolean)
    .slice(0, 5);
  const params: Record<string, unknown> = {};
  const parts = words.map((word, i) => {
    params[`${p}w${i}`] = `% ${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return `(' ' || translate(${key.column}, '^=', '  ')) ILIKE :${p}w${i}`;
  });
  return { sql: parts.length ? parts.join(' AND ') : 'TRUE', params };
}

export function pageOf(query: Record<string, unknown>): { limit: number; offset: number } {
  const num = (v: unknown, name: string, max: number, fallback: number) => {
    if (v === undefined) return fallback;
    if (typeof v !== 'string' || !/^\d{1,7}$/.test(v) || Number(v) > max)
      throw new QueryKeyError(`${name} must be a whole number up to ${max}`);
    return Number(v);
  };
  return {
    limit: Math.max(1, num(query.limit, 'limit', 1000, 100)),
    offset: num(query.offset, 'offset', 1_000_000, 0),
  };
}
