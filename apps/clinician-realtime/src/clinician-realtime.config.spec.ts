import { loadSettings } from '@countylink/platform';
import { ClinicianRealtimeConfig } from './clinician-realtime.config';

describe('ClinicianRealtimeConfig', () => {
  it('needs none of the platform or other apps settings', () => {
    expect(loadSettings(ClinicianRealtimeConfig, { READ_DEADLINE_MINUTES: 'soon' })).toMatchObject({
      ALERT_ACK_SECONDS_GREEN_CHANNEL: 180,
      ALERT_ACK_SECONDS_CRITICAL_VALUE: 600,
      ALERT_ESCALATION_STEP_SECONDS: 300,
      REALTIME_RESUME_LIMIT: 200,
    });
  });

  it('refuses a bad value naming it', () => {
    expect(() => loadSettings(ClinicianRealtimeConfig, { REALTIME_RESUME_LIMIT: '0' })).toThrow(
      /REALTIME_RESUME_LIMIT=0/,
    );
  });
});
