import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';

export class ReferralVolumeQuery {
  @ApiPropertyOptional({ description: 'Referrals created at or after (ISO 8601)' })
  @IsOptional()
  @IsISO8601()
  from?: string;

  @ApiPropertyOptional({ description: 'Referrals created before (ISO 8601)' })
  @IsOptional()
  @IsISO8601()
  to?: string;
}
