import {
  issueAccessionNumber,
  lookupByModality,
  parseDeadlineTable,
  parseDepartmentTable,
  readDueAt,
} from './read-rules';

describe('read rules', () => {
  const table = parseDeadlineTable('ECG=15/20/30,DX=30/60/120,*=60/240/1440');

  it('takes deadlines from configuration by modality and priority', () => {
    const t0 = new Date('2026-11-22T08:00:00Z');
    expect(readDueAt(t0, 'ECG', 'emergency', table).toISOString()).toBe('2026-11-22T08:15:00.000Z');
    expect(readDueAt(t0, 'ECG', 'routine', table).toISOString()).toBe('2026-11-22T08:30:00.000Z');
    expect(readDueAt(t0, 'dx', 'routine', table).toISOString()).toBe('2026-11-22T10:00:00.000Z');
    expect(readDueAt(t0, 'CT', 'urgent', table).toISOString()).toBe('2026-11-22T12:00:00.000Z');
  });

  it('refuses a table without a default or with a bad entry', () => {
    expect(() => parseDeadlineTable('ECG=15/20/30')).toThrow(/\*/);
    expect(() => parseDeadlineTable('ECG=15/0/30,*=1/1/1')).toThrow(/ECG/);
  });

  it('routes a modality to its reading department, or the default', () => {
    const departments = parseDepartmentTable('ECG=ecg-room,*=radiology');
    expect(lookupByModality(departments, 'ecg')).toBe('ecg-room');
    expect(lookupByModality(departments, 'DX')).toBe('radiology');
  });

  it('issues short, distinct accession numbers that fit DICOM SH', () => {
    const now = new Date('2026-11-22T08:00:00Z');
    const a = issueAccessionNumber(now);
    const b = issueAccessionNumber(now);
    expect(a).toMatch(/^CL[0-9A-Z]{14}$/);
    expect(a).not.toBe(b);
  });
});
