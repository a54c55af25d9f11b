import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, Matches } from 'class-validator';
import { CommonErrorCode, DomainException } from '@countylink/platform';
import { READ_PRIORITIES, ReadPriority } from '../reads/read-state-machine';

/** A year and a leap day: the longest range the page asks for, and a bound on what one request scans. */
export const MAX_RANGE_DAYS = 366;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_MESSAGE = '$property must be a calendar date, YYYY-MM-DD (Beijing time)';

export class ReadTurnaroundQuery {
  @ApiProperty({ description: 'First Beijing day (reads that became ready on or after it)', example: '2024-06-01' })
  @Matches(DATE, { message: DATE_MESSAGE })
  @IsISO8601({ strict: true }, { message: DATE_MESSAGE })
  from!: string;

  @ApiProperty({ description: 'Last Beijing day, included', example: '2024-06-30' })
  @Matches(DATE, { message: DATE_MESSAGE })
  @IsISO8601({ strict: true }, { message: DATE_MESSAGE })
  to!: string;

  @ApiPropertyOptional({ enum: READ_PRIORITIES, description: 'Only reads of this priority' })
  @IsOptional()
  @IsIn(READ_PRIORITIES)
  priority?: ReadPriority;
}

/** What one field cannot say: the two dates in order and no further apart than MAX_RANGE_DAYS (a 400 like the pipe's). */
export function checkRange(query: ReadTurnaroundQuery): void {
  const days = (Date.parse(`${query.to}T00:00:00Z`) - Date.parse(`${query.from}T00:00:00Z`)) / 86_400_000 + 1;
  const problem =
    days < 1
      ? 'to must not be before from'
      : days > MAX_RANGE_DAYS
        ? `from–to may span at most ${MAX_RANGE_DAYS} days`
        : null;
  if (problem)
    throw new DomainException(CommonErrorCode.VALIDATION_FAILED, 'The request is not valid', [
      { field: 'to', problems: [problem] },
    ]);
}
