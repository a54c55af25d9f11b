import { loadSettings } from '@countylink/platform';
import { SpecialistSlotsConfig } from './specialist-slots.config';

describe('SpecialistSlotsConfig', () => {
  it('needs none of the platform or other apps settings', () => {
    expect(
      loadSettings(SpecialistSlotsConfig, { IDENTITY_HASH_KEY: 'short', DICOM_DIMSE_AE_MAP: 'nonsense' }),
    ).toMatchObject({
      SCHEDULING_RESERVED_SHARE_FLOOR: 0.2,
      SCHEDULING_GENERAL_OPENS_DAYS: 7,
      SCHEDULING_RESERVED_EARLIER_DAYS: 7,
      SCHEDULING_RELEASE_LEAD_MINUTES: 1440,
    });
  });

  it('keeps the reserve floor at 0.2 or more', () => {
    expect(
      loadSettings(SpecialistSlotsConfig, { SCHEDULING_RESERVED_SHARE_FLOOR: '0.25' }).SCHEDULING_RESERVED_SHARE_FLOOR,
    ).toBe(0.25);
    expect(() => loadSettings(SpecialistSlotsConfig, { SCHEDULING_RESERVED_SHARE_FLOOR: '0.1' })).toThrow(
      /SCHEDULING_RESERVED_SHARE_FLOOR=0.1/,
    );
  });
});
