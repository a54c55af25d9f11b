import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsISO8601, IsNumber, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { RESOURCE_KINDS, ResourceKind } from '../reserved-pool';

export const DIRECTORY_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** A clinic session, a ward's bed pool for a day, or exam slots, with its reserved share. */
export class CreateScheduleDto {
  @ApiProperty({ enum: RESOURCE_KINDS })
  @IsIn(RESOURCE_KINDS)
  kind: ResourceKind;

  @ApiPropertyOptional({
    description: "Defaults to the caller's institution; only the group administration publishes for another",
    example: 'county-hospital',
  })
  @IsOptional()
  @Matches(DIRECTORY_ID, { message: 'institutionId must be a directory id' })
  institutionId?: string;

  @ApiProperty({ example: 'cardiology' })
  @Matches(DIRECTORY_ID, { message: 'departmentId must be a directory id' })
  departmentId: string;

  @ApiPropertyOptional({ description: 'Clinic sessions: the specialist', example: 'county-cardiology' })
  @IsOptional()
  @Matches(DIRECTORY_ID, { message: 'practitionerId must be a directory id' })
  practitionerId?: string;

  @ApiPropertyOptional({ description: 'Exams: CT, MRI, ultrasound, endoscopy, …', example: 'CT' })
  @IsOptional()
  @Matches(/^[A-Za-z][A-Za-z0-9-]{0,31}$/, { message: 'modality must be a short code such as CT or ultrasound' })
  modality?: string;

  @ApiProperty({ example: '2026-11-25T00:30:00Z' })
  @IsISO8601({ strict: true })
  startsAt: string;

  @ApiProperty({ example: '2026-11-25T04:00:00Z' })
  @IsISO8601({ strict: true })
  endsAt: string;

  @ApiProperty({ description: 'Places (patients, beds or exams)', example: 30 })
  @IsInt()
  @Min(1)
  @Max(10_000)
  capacity: number;

  @ApiPropertyOptional({
    description: "Share reserved for family-doctor referrals; at least the group's floor (default the floor)",
    example: 0.2,
  })
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 4 })
  @Min(0)
  @Max(1)
  reservedShare?: number;

  @ApiPropertyOptional({
    description: "The publisher's own id: publishing it again changes nothing",
    example: 'HIS-2026-11-25-CARD-AM',
  })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  externalId?: string;
}
