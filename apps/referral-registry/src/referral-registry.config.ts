import { Transform } from 'class-transformer';
import { IsInt, IsString, Max, Min, MinLength } from 'class-validator';
import { toInt } from '@countylink/platform';

/**
 * The referral registry's own settings, read from the process's environment by its module
 * (appConfigProvider); the platform's (database, Kafka, auth, timers) are in PlatformConfig.
 */
export class ReferralRegistryConfig {
  /** Key of the HMAC that replaces identity numbers (身份证号) in events and indexes. */
  @IsString()
  @MinLength(16, { message: 'IDENTITY_HASH_KEY must be at least 16 characters' })
  IDENTITY_HASH_KEY: string;

  /** Minutes the receiving side has to answer a referral, per urgency. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  REFERRAL_RESPONSE_MINUTES_ROUTINE = 24 * 60;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  REFERRAL_RESPONSE_MINUTES_URGENT = 120;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  REFERRAL_RESPONSE_MINUTES_EMERGENCY = 10;

  /** Minutes between escalation steps once a referral is overdue. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  REFERRAL_ESCALATION_REPEAT_MINUTES = 10;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10)
  REFERRAL_ESCALATION_MAX_LEVEL = 3;
}
