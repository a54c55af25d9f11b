import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { AppointmentStatus } from '../appointment-state-machine';

const STATUSES: AppointmentStatus[] = ['booked', 'cancelled', 'no-show', 'attended'];
const csv = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean)
    : value;

/** Filters of the appointments an institution booked or provides. */
export class ListAppointmentsQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  scheduleId?: string;

  @ApiPropertyOptional({ description: 'The referral the places serve' })
  @IsOptional()
  @IsUUID()
  referralId?: string;

  @ApiPropertyOptional({ description: 'One status or several, comma-separated', example: 'booked' })
  @IsOptional()
  @Transform(csv)
  @IsIn(STATUSES, { each: true })
  status?: AppointmentStatus[];

  @ApiPropertyOptional({ default: 50, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}
