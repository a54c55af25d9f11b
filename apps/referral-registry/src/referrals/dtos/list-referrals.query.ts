import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import type { ReferralStatus } from '../referral-state-machine';

const STATUSES = ['requested', 'received', 'accepted', 'rejected', 'arrived', 'completed', 'cancelled'];
const csv = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean)
    : value;

export class ListReferralsQuery {
  @ApiPropertyOptional({ enum: ['up', 'down'] })
  @IsOptional()
  @IsIn(['up', 'down'])
  direction?: 'up' | 'down';

  @ApiPropertyOptional({ description: 'One status or several, comma-separated', example: 'requested,received' })
  @IsOptional()
  @Transform(csv)
  @IsIn(STATUSES, { each: true })
  status?: ReferralStatus[];

  @ApiPropertyOptional({ enum: ['routine', 'urgent', 'emergency'] })
  @IsOptional()
  @IsIn(['routine', 'urgent', 'emergency'])
  urgency?: 'routine' | 'urgent' | 'emergency';

  @ApiPropertyOptional({ description: 'Only referrals from or to this institution' })
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9-]{0,62}$/)
  institutionId?: string;

  @ApiPropertyOptional({ description: 'Created at or after (ISO 8601)' })
  @IsOptional()
  @IsISO8601()
  createdFrom?: string;

  @ApiPropertyOptional({ description: 'Created before (ISO 8601)' })
  @IsOptional()
  @IsISO8601()
  createdTo?: string;

  @ApiPropertyOptional({ description: "The patient's id in the sending institution" })
  @IsOptional()
  @IsString()
  patientId?: string;

  @ApiPropertyOptional({ default: 20, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  cursor?: string;
}
