import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

/** Wait for a reserved place of a full schedule, for an open referral. */
export class JoinWaitlistDto {
  @ApiProperty()
  @IsUUID()
  scheduleId: string;

  @ApiProperty()
  @IsUUID()
  referralId: string;
}
