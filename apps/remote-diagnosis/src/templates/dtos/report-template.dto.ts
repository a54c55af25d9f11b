import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Matches, Min } from 'class-validator';

const MODALITY = /^[A-Z0-9]{1,16}$/;
const MODALITY_MESSAGE = 'modality must be a DICOM modality code such as ECG, DX or CR';
/** Whitespace around a title would make two templates that look alike differ. */
const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const notBlank = (field: string) => Matches(/\S/, { message: `${field} must not be blank` });

/** A template as the group admin writes it; the limits are those of a signed report's fields. */
export class ReportTemplateDto {
  @ApiProperty({ description: 'DICOM modality the template is offered for', example: 'ECG' })
  @IsString()
  @Matches(MODALITY, { message: MODALITY_MESSAGE })
  modality: string;

  @ApiProperty({ description: 'Unique within its modality', example: '正常心电图' })
  @Transform(trim)
  @IsString()
  @Length(1, 64)
  title: string;

  @ApiProperty({ example: '窦性心律，心率72次/分，各导联P-QRS-T波形态及时限未见异常' })
  @IsString()
  @Length(1, 8000)
  @notBlank('findings')
  findings: string;

  @ApiProperty({ example: '正常心电图' })
  @IsString()
  @Length(1, 4000)
  @notBlank('impression')
  impression: string;

  @ApiProperty({ description: '治疗方案', example: '无需特殊处理，如有不适随诊' })
  @IsString()
  @Length(1, 8000)
  @notBlank('treatmentPlan')
  treatmentPlan: string;
}

export class UpdateReportTemplateDto extends ReportTemplateDto {
  @ApiProperty({
    description: 'The version the edit started from; if the template changed since, the edit is a 409',
    example: 1,
  })
  @IsInt()
  @Min(1)
  version: number;
}

export class ListReportTemplatesQuery {
  @ApiPropertyOptional({ description: 'Only the templates of this modality', example: 'ECG' })
  @IsOptional()
  @Matches(MODALITY, { message: MODALITY_MESSAGE })
  modality?: string;
}
