import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { READ_PRIORITIES, READ_STATUSES, ReadPriority, ReadStatus } from '../read-state-machine';

const csv = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean)
    : value;

export class ListReadsQuery {
  @ApiPropertyOptional({
    description: 'One status or several, comma-separated; the county worklist defaults to ready,claimed',
    example: 'ready,claimed',
  })
  @IsOptional()
  @Transform(csv)
  @IsIn(READ_STATUSES, { each: true })
  status?: ReadStatus[];

  @ApiPropertyOptional({ example: 'ECG' })
  @IsOptional()
  @Matches(/^[A-Z0-9]{1,16}$/)
  modality?: string;

  @ApiPropertyOptional({ enum: READ_PRIORITIES })
  @IsOptional()
  @IsIn(READ_PRIORITIES)
  priority?: ReadPriority;

  @ApiPropertyOptional({ description: 'Reading department', example: 'ecg-room' })
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9-]{0,62}$/)
  department?: string;

  @ApiPropertyOptional({
    description: 'Requesting institution (the county worklist filtered to one township)',
    example: 'township-a',
  })
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9-]{0,62}$/)
  requestedBy?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  patientId?: string;

  @ApiPropertyOptional({ default: 50, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(100000)
  offset?: number;
}
