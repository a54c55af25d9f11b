import { fhirDateTime } from './dicom-date-time';

describe('DICOM date and time as a FHIR dateTime', () => {
  it('joins DA and TM with the given offset, filling what TM leaves out', () => {
    expect(fhirDateTime('20250314', '093015.250', '+08:00')).toBe('2025-03-14T09:30:15.250+08:00');
    expect(fhirDateTime('20250314', '0930', '+08:00')).toBe('2025-03-14T09:30:00+08:00');
    expect(fhirDateTime('20250314', '09', '+08:00')).toBe('2025-03-14T09:00:00+08:00');
    expect(fhirDateTime('2025.03.14', '09:30:15', 'Z')).toBe('2025-03-14T09:30:15Z');
  });

  it('keeps the date alone when there is no readable time', () => {
    expect(fhirDateTime('20250314', null, '+08:00')).toBe('2025-03-14');
    expect(fhirDateTime('20250314', '', '+08:00')).toBe('2025-03-14');
    expect(fhirDateTime('20250314', '2561', '+08:00')).toBe('2025-03-14');
    expect(fhirDateTime('20250314', '0930.', '+08:00')).toBe('2025-03-14');
  });

  it('gives nothing for a missing or impossible date', () => {
    for (const bad of [null, '', '2025031', '20250230', '20251301', '00000101', 'yesterday'])
      expect(fhirDateTime(bad, '0930', '+08:00')).toBeUndefined();
  });
});
