import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { GREEN_CHANNEL_CENTRES, GreenChannelCentre, Urgency } from '../referral-rules';

const ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

export class PatientDto {
  @ApiProperty({ description: "The patient's id in the sending institution's HIS", example: 'TA-000123' })
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

  @ApiPropertyOptional({
    description: '身份证号; stored and sent only as a keyed hash and a mask',
    example: '11010519491231002X',
  })
  @IsOptional()
  @IsString()
  @Length(18, 18)
  identityNumber?: string;
}

export class DiagnosisDto {
  @ApiProperty({ description: 'ICD-10 code', example: 'I21.9' })
  @Matches(/^[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?$/, { message: 'diagnosis.code must be an ICD-10 code such as I21.9' })
  code: string;

  @ApiProperty({ example: '急性心肌梗死' })
  @IsString()
  @Length(1, 200)
  display: string;
}

/** A new referral. The sending institution and practitioner come from the token, never the body. */
export class CreateReferralDto {
  @ApiProperty({ type: PatientDto })
  @ValidateNested()
  @Type(() => PatientDto)
  patient: PatientDto;

  @ApiProperty({ example: 'county-hospital' })
  @Matches(ID, { message: 'toInstitutionId must be a directory id' })
  toInstitutionId: string;

  @ApiPropertyOptional({ example: 'cardiology' })
  @IsOptional()
  @Matches(ID, { message: 'toDepartmentId must be a directory id' })
  toDepartmentId?: string;

  @ApiProperty({ enum: ['routine', 'urgent', 'emergency'] })
  @IsIn(['routine', 'urgent', 'emergency'])
  urgency: Urgency;

  @ApiPropertyOptional({
    enum: GREEN_CHANNEL_CENTRES,
    description: 'Green channel (绿色通道): only with urgency emergency',
  })
  @IsOptional()
  @IsIn(GREEN_CHANNEL_CENTRES)
  greenChannelCentre?: GreenChannelCentre;

  @ApiPropertyOptional({ description: '住院直通车: ask for direct inpatient admission' })
  @IsOptional()
  @IsBoolean()
  directAdmission?: boolean;

  @ApiProperty({ type: DiagnosisDto })
  @ValidateNested()
  @Type(() => DiagnosisDto)
  diagnosis: DiagnosisDto;

  @ApiProperty({ example: '胸痛2小时，心电图ST段抬高' })
  @IsString()
  @Length(1, 4000)
  clinicalSummary: string;

  @ApiProperty({ example: '需PCI' })
  @IsString()
  @Length(1, 1000)
  reason: string;

  @ApiPropertyOptional({ description: 'Required for an up-referral of a township-catalog diagnosis' })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  justification?: string;

  @ApiPropertyOptional({ description: 'Down-referral: the up-referral the patient returns from' })
  @IsOptional()
  @IsUUID()
  returnsFromReferralId?: string;

  @ApiPropertyOptional({ description: 'Down-referral: the rehabilitation / follow-up plan (康复方案)' })
  @IsOptional()
  @IsString()
  @MaxLength(8000)
  rehabilitationPlan?: string;
}
