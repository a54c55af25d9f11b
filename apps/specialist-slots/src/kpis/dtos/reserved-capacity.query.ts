import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, Matches } from 'class-validator';
import { DIRECTORY_ID } from '../../schedules/dtos/create-schedule.dto';

export class ReservedCapacityQuery {
  @ApiPropertyOptional({ description: 'Schedules starting at or after (ISO 8601)' })
  @IsOptional()
  @IsISO8601()
  from?: string;

  @ApiPropertyOptional({ description: 'Schedules starting before (ISO 8601)' })
  @IsOptional()
  @IsISO8601()
  to?: string;

  @ApiPropertyOptional({ example: 'county-hospital' })
  @IsOptional()
  @Matches(DIRECTORY_ID)
  institutionId?: string;
}
