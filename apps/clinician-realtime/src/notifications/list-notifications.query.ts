import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export class ListNotificationsQuery {
  @ApiPropertyOptional({
    description: 'Cursor token: `after` of a `ready` frame, or `next` of a previous page. Absent: from the beginning.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(8000)
  after?: string;

  @ApiPropertyOptional({
    description: 'Cursor token: stop there (`until` of a `ready` frame, where live delivery took over).',
  })
  @IsOptional()
  @IsString()
  @MaxLength(8000)
  until?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}
