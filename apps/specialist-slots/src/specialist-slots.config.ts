import { Transform } from 'class-transformer';
import { IsInt, IsNumber, IsOptional, IsString, Max, Min } from 'class-validator';
import { toInt, toNumber } from '@countylink/platform';

/**
 * Specialist slots' own settings — the reserve policy and booking windows, the schedule seed — read
 * from the process's environment by its module (appConfigProvider); the platform's are in PlatformConfig.
 */
export class SpecialistSlotsConfig {
  /** The group's reserve policy floor (预留号源比例): no schedule may reserve a smaller share. At least 0.2. */
  @Transform(toNumber)
  @IsNumber({ maxDecimalPlaces: 4 })
  @Min(0.2)
  @Max(1)
  SCHEDULING_RESERVED_SHARE_FLOOR = 0.2;

  /** General places of a schedule open this many days before its start. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(365)
  SCHEDULING_GENERAL_OPENS_DAYS = 7;

  /** Reserved places open this many days earlier than general places. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(365)
  SCHEDULING_RESERVED_EARLIER_DAYS = 7;

  /** Reserved places still free this many minutes before the start go back to the general pool. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  SCHEDULING_RELEASE_LEAD_MINUTES = 24 * 60;

  /** Schedules (weekly templates) published at start; the embedded default uses the demo file. */
  @IsOptional()
  @IsString()
  SCHEDULE_SEED_FILE?: string;
}
