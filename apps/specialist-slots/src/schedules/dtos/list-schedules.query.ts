import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, Matches, Max, Min } from 'class-validator';
import { RESOURCE_KINDS, ResourceKind } from '../reserved-pool';
import { DIRECTORY_ID } from './create-schedule.dto';

export class ListSchedulesQuery {
  @ApiPropertyOptional({ example: 'county-hospital' })
  @IsOptional()
  @Matches(DIRECTORY_ID)
  institutionId?: string;

  @ApiPropertyOptional({ example: 'cardiology' })
  @IsOptional()
  @Matches(DIRECTORY_ID)
  departmentId?: string;

  @ApiPropertyOptional({ enum: RESOURCE_KINDS })
  @IsOptional()
  @IsIn(RESOURCE_KINDS)
  kind?: ResourceKind;

  @ApiPropertyOptional({ example: 'CT' })
  @IsOptional()
  @Matches(/^[A-Za-z][A-Za-z0-9-]{0,31}$/)
  modality?: string;

  @ApiPropertyOptional({ description: 'Starting at or after (ISO 8601); slots default to now' })
  @IsOptional()
  @IsISO8601()
  from?: string;

  @ApiPropertyOptional({ description: 'Starting before (ISO 8601)' })
  @IsOptional()
  @IsISO8601()
  to?: string;

  @ApiPropertyOptional({ default: 50, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}
