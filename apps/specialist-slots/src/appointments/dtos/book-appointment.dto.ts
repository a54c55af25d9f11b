import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsISO8601, IsOptional, IsString, IsUUID, Length, Matches, ValidateNested } from 'class-validator';

export class BookingPatientDto {
  @ApiProperty({ description: "The patient's id in the booking institution's HIS", example: 'TA-000123' })
  @IsString()
  @Length(1, 64)
  patientId: string;

  @ApiProperty({ example: '王建国' })
  @IsString()
  @Length(1, 64)
  name: string;

  @ApiProperty({ enum: ['male', 'female', 'other', 'unknown'] })
  @IsIn(['male', 'female', 'other', 'unknown'])
  sex: 'male' | 'female' | 'other' | 'unknown';

  @ApiPropertyOptional({ example: '1956-03-14' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'birthDate must be YYYY-MM-DD' })
  birthDate?: string;
}

/** A place for a patient: through a referral (the patient is the referral's) or for a named patient. */
export class BookAppointmentDto {
  @ApiProperty()
  @IsUUID()
  scheduleId: string;

  @ApiPropertyOptional({
    enum: ['reserved', 'general'],
    description: 'Default: reserved for a family doctor booking with a referral, general otherwise',
  })
  @IsOptional()
  @IsIn(['reserved', 'general'])
  pool?: 'reserved' | 'general';

  @ApiPropertyOptional({ description: 'The open up-referral this place is for (required for reserved places)' })
  @IsOptional()
  @IsUUID()
  referralId?: string;

  @ApiPropertyOptional({ type: BookingPatientDto, description: 'The patient, when booking without a referral' })
  @IsOptional()
  @ValidateNested()
  @Type(() => BookingPatientDto)
  patient?: BookingPatientDto;
}

export class CancelAppointmentDto {
  @ApiProperty({ example: '患者病情变化，改期' })
  @IsString()
  @Length(1, 2000)
  reason: string;
}

export class AppointmentNoteDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  note?: string;
}
