import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** The body of an acknowledgement over HTTP, as the socket's `ack` takes it. */
export class AckAlertDto {
  /** What the doctor typed back of the critical finding (记录、复读、确认). */
  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  readBack?: string;
}
