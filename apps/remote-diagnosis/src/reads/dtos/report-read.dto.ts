import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';

export class CriticalValueDto {
  @ApiProperty({ description: '危急值 category', example: 'acute-stemi' })
  @Matches(/^[a-z0-9][a-z0-9-]{0,62}$/, {
    message: 'criticalValue.category must be a lower-case code such as acute-stemi',
  })
  category: string;

  @ApiProperty({ example: 'V1–V4 ST段抬高0.3mV' })
  @IsString()
  @Length(1, 2000)
  description: string;
}

export class ReportReadDto {
  @ApiProperty({ example: '窦性心律，V1-V4导联ST段抬高' })
  @IsString()
  @Length(1, 8000)
  findings: string;

  @ApiProperty({ example: '急性前壁心肌梗死' })
  @IsString()
  @Length(1, 4000)
  impression: string;

  @ApiProperty({ description: '治疗方案', example: '立即嚼服阿司匹林300mg，启动胸痛中心绿色通道转县医院' })
  @IsString()
  @Length(1, 8000)
  treatmentPlan: string;

  @ApiPropertyOptional({ type: CriticalValueDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => CriticalValueDto)
  criticalValue?: CriticalValueDto;

  @ApiPropertyOptional({ description: 'Amend a signed report (the original is kept)' })
  @IsOptional()
  @IsBoolean()
  addendum?: boolean;
}

export class ReleaseReadDto {
  @ApiPropertyOptional({ example: '非本专业，退回工作列表' })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  reason?: string;
}

export class AssignReadDto {
  @ApiProperty({ example: 'county-ecg', description: "The specialist of the read's department who is to read it" })
  @IsString()
  @Length(1, 200)
  readerId: string;

  @ApiPropertyOptional({ example: '急诊优先，请吴医生阅片' })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  reason?: string;
}
