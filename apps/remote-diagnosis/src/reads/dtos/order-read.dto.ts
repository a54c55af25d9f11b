import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsISO8601, IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { READ_PRIORITIES, ReadPriority } from '../read-state-machine';

export class ReadPatientDto {
  @ApiProperty({
    description: "The patient's id in the requesting institution (DICOM Patient ID)",
    example: 'TA-000123',
  })
  @IsString()
  @Length(1, 64)
  patientId: string;

  @ApiProperty({ example: '王建国' })
  @IsString()
  @Length(1, 64)
  name: string;

  @ApiPropertyOptional({ enum: ['M', 'F', 'O'] })
  @IsOptional()
  @IsIn(['M', 'F', 'O'])
  sex?: 'M' | 'F' | 'O';

  @ApiPropertyOptional({ example: '1956-03-14' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'birthDate must be YYYY-MM-DD' })
  birthDate?: string;
}

/** An order for a county read; who orders it (and for which institution) comes from the token. */
export class OrderReadDto {
  @ApiProperty({ type: ReadPatientDto })
  @ValidateNested()
  @Type(() => ReadPatientDto)
  patient: ReadPatientDto;

  @ApiProperty({ description: 'DICOM modality of the exam', example: 'ECG' })
  @Matches(/^[A-Z0-9]{1,16}$/, { message: 'modality must be a DICOM modality code such as ECG, DX or CR' })
  modality: string;

  @ApiProperty({ enum: READ_PRIORITIES })
  @IsIn(READ_PRIORITIES)
  priority: ReadPriority;

  @ApiPropertyOptional({ example: '胸痛2小时，请排除急性心肌梗死' })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  clinicalQuestion?: string;

  @ApiPropertyOptional({
    description: 'Accession number the modality will put in the images; issued when absent',
    example: 'TA20261122001',
  })
  @IsOptional()
  @Matches(/^[\x21-\x7e]{1,16}$/, { message: 'accessionNumber must be 1–16 printable characters (DICOM SH)' })
  accessionNumber?: string;

  @ApiPropertyOptional({
    description: 'Reading department of the county hospital; by modality when absent',
    example: 'ecg-room',
  })
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9-]{0,62}$/)
  readingDepartmentId?: string;
}
