import { InvalidConfigError, loadSettings } from '@countylink/platform';
import { ReferralRegistryConfig } from './referral-registry.config';

const KEY = { IDENTITY_HASH_KEY: 'x'.repeat(32) };

describe('ReferralRegistryConfig', () => {
  it('needs only its own settings: no database, auth or other app settings', () => {
    const config = loadSettings(ReferralRegistryConfig, {
      ...KEY,
      READ_DEPARTMENTS: 'not a table',
      SCHEDULING_RESERVED_SHARE_FLOOR: '0.01',
    });
    expect(config).toMatchObject({
      REFERRAL_RESPONSE_MINUTES_EMERGENCY: 10,
      REFERRAL_RESPONSE_MINUTES_URGENT: 120,
      REFERRAL_RESPONSE_MINUTES_ROUTINE: 1440,
    });
    expect(config).toMatchObject({ REFERRAL_ESCALATION_REPEAT_MINUTES: 10, REFERRAL_ESCALATION_MAX_LEVEL: 3 });
    expect(
      loadSettings(ReferralRegistryConfig, { ...KEY, REFERRAL_ESCALATION_MAX_LEVEL: '5' })
        .REFERRAL_ESCALATION_MAX_LEVEL,
    ).toBe(5);
  });

  it('requires IDENTITY_HASH_KEY and never repeats it', () => {
    expect(() => loadSettings(ReferralRegistryConfig, {})).toThrow(/IDENTITY_HASH_KEY=undefined/);
    const attempt = () => loadSettings(ReferralRegistryConfig, { IDENTITY_HASH_KEY: 'short-secret' });
    expect(attempt).toThrow(InvalidConfigError);
    expect(attempt).toThrow(/IDENTITY_HASH_KEY="\[redacted\]": IDENTITY_HASH_KEY must be at least 16 characters/);
    expect(attempt).not.toThrow(/short-secret/);
  });

  it('refuses a bad value naming it', () => {
    expect(() => loadSettings(ReferralRegistryConfig, { ...KEY, REFERRAL_ESCALATION_MAX_LEVEL: '11' })).toThrow(
      /REFERRAL_ESCALATION_MAX_LEVEL=11/,
    );
  });
});
