import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, MaxLength } from 'class-validator';

export class TransitionDto {
  @ApiPropertyOptional({ description: 'A note recorded in the history' })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  note?: string;
}

/**
 * Reject and cancel must say why: the body's shape is checked here, the rule that a reason is
 * required is the state machine's (`assertReason`), for HTTP and HIS commands alike.
 */
export class ReasonedTransitionDto {
  @ApiProperty({
    example: '本院无床位，建议转市级医院',
    description: 'Required (the state machine refuses reject and cancel without one)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;
}
