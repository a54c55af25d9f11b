import { loadSettings } from '@countylink/platform';
import { CallingAeMap } from './dimse/calling-ae.map';
import { lookupByModality } from './reads/read-rules';
import { RemoteDiagnosisConfig } from './remote-diagnosis.config';

describe('RemoteDiagnosisConfig', () => {
  it('needs none of the platform or other apps settings (no IDENTITY_HASH_KEY, no DATABASE_URL)', () => {
    const config = loadSettings(RemoteDiagnosisConfig, { REFERRAL_ESCALATION_MAX_LEVEL: 'many' });
    expect(config).toMatchObject({
      DICOM_DIMSE_PORT: 11112,
      DICOM_MAX_CONCURRENT_UPLOADS: 4,
      READ_CLAIM_MINUTES: 30,
      READ_INSTITUTION_ID: 'county-hospital',
    });
    expect(config.DICOM_DIMSE_AE_MAP.size).toBe(0);
  });

  it('reads the department and deadline tables once, into tables (the defaults too)', () => {
    const defaults = loadSettings(RemoteDiagnosisConfig, {});
    expect(defaults.READ_DEPARTMENTS).toEqual({ ECG: 'ecg-room', DX: 'radiology', CR: 'radiology', '*': 'radiology' });
    expect(defaults.READ_DEADLINE_MINUTES.ECG).toEqual({ emergency: 15, urgent: 20, routine: 30 });
    const config = loadSettings(RemoteDiagnosisConfig, {
      READ_DEPARTMENTS: 'ECG=cardiology,*=imaging',
      READ_DEADLINE_MINUTES: 'ECG=5/10/15,*=60/120/240',
    });
    expect(lookupByModality(config.READ_DEPARTMENTS, 'ecg')).toBe('cardiology');
    expect(lookupByModality(config.READ_DEPARTMENTS, 'MR')).toBe('imaging');
    expect(lookupByModality(config.READ_DEADLINE_MINUTES, 'CT')).toEqual({ emergency: 60, urgent: 120, routine: 240 });
  });

  it('reads DICOM_DIMSE_AE_MAP once, into the map the listener decides with', () => {
    const config = loadSettings(RemoteDiagnosisConfig, {
      DICOM_DIMSE_AE_MAP: 'TOWNSHIP_A_DR@10.1.0.0/16=township-a,TOWNSHIP_B_ECG@*=township-b',
    });
    expect(config.DICOM_DIMSE_AE_MAP).toBeInstanceOf(CallingAeMap);
    expect(config.DICOM_DIMSE_AE_MAP.decide('TOWNSHIP_A_DR', '10.1.2.3')).toMatchObject({
      ok: true,
      ae: { institutionId: 'township-a' },
    });
    expect(config.DICOM_DIMSE_AE_MAP.decide('TOWNSHIP_A_DR', '10.2.0.1').ok).toBe(false);
  });

  it.each([
    [{ READ_DEPARTMENTS: 'ECG:ecg-room' }, /READ_DEPARTMENTS="ECG:ecg-room": READ_DEPARTMENTS must look like/],
    [
      { READ_DEADLINE_MINUTES: 'ECG=15/20' },
      /READ_DEADLINE_MINUTES="ECG=15\/20": READ_DEADLINE_MINUTES must look like/,
    ],
    [{ READ_DEADLINE_MINUTES: 'ECG=15/20/30' }, /READ_DEADLINE_MINUTES="ECG=15\/20\/30": .*needs a \* entry/],
    [
      { DICOM_DIMSE_AE_MAP: 'TOWNSHIP_A_DR=township-a' },
      /DICOM_DIMSE_AE_MAP="TOWNSHIP_A_DR=township-a": DICOM_DIMSE_AE_MAP must look like/,
    ],
    [{ DICOM_DIMSE_AE_MAP: 'A@10.0.0.1=t-a,A@*=t-b' }, /DICOM_DIMSE_AE_MAP=.*A is listed twice/],
    [{ DICOM_DIMSE_AE_MAP: 'A@10.0.0.1/40=t-a' }, /DICOM_DIMSE_AE_MAP=.*bad prefix length/],
  ])('refuses %j at load, naming it', (env, message) => {
    expect(() => loadSettings(RemoteDiagnosisConfig, env)).toThrow(message);
  });
});
