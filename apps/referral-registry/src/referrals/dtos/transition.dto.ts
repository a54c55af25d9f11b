import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';

export class TransitionDto {
  @ApiPropertyOptional({ description: 'A note recorded in the history' })
  @IsOptional() @IsString() @Length(1, 2000)
  note?: string;
}

/** Reject and cancel must say why. */
export class ReasonedTransitionDto {
  @ApiProperty({ example: '本院无床位，建议转市级医院' })
  @IsString() @Length(1, 2000)
  reason: string;
}
