import { Transform } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { toInt } from '@countylink/platform';

/**
 * Clinician realtime's own settings — the alert ladder and socket resume — read from the process's
 * environment by its module (appConfigProvider); the platform's (database, auth, timers) are in PlatformConfig.
 */
export class ClinicianRealtimeConfig {
  /** Seconds the first step of a green-channel alert (the on-duty doctor) has to acknowledge it. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  ALERT_ACK_SECONDS_GREEN_CHANNEL = 180;

  /** Seconds the first step of a critical-value (危急值) alert has to acknowledge it. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  ALERT_ACK_SECONDS_CRITICAL_VALUE = 600;

  /** Seconds each later step of the ladder (department head, coordinator) has before the next one. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  ALERT_ESCALATION_STEP_SECONDS = 300;

  /** At most this many missed notifications are replayed on a socket reconnect; the rest over HTTP. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000)
  REALTIME_RESUME_LIMIT = 200;
}
