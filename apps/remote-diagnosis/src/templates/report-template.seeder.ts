import { readFileSync } from 'node:fs';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { plainToInstance, Type } from 'class-transformer';
import { ArrayNotEmpty, ValidateNested, validateSync } from 'class-validator';
import { ReportTemplateDto } from './dtos/report-template.dto';
import { ReportTemplateService } from './report-template.service';
import { RemoteDiagnosisConfig } from '../remote-diagnosis.config';

/** The demo group's templates (apps/remote-diagnosis/seed/demo-report-templates.json). */
export class ReportTemplateSeed {
  @ArrayNotEmpty()
  @ValidateNested({ each: true })
  @Type(() => ReportTemplateDto)
  templates: ReportTemplateDto[];
}

export function readReportTemplateSeed(path: string): ReportTemplateSeed {
  const seed = plainToInstance(ReportTemplateSeed, JSON.parse(readFileSync(path, 'utf8')));
  const errors = validateSync(seed, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0)
    throw new Error(`report template seed ${path} is not valid: ${errors.map((e) => e.toString()).join('; ')}`);
  return seed;
}

/**
 * With REPORT_TEMPLATE_SEED_FILE set (the embedded default sets the demo file), a group without any
 * template yet starts with the file's. Once it has one, the admin's list is left alone: a template
 * the admin deleted does not come back at the next start.
 */
@Injectable()
export class ReportTemplateSeeder implements OnModuleInit {
  private readonly logger = new Logger(ReportTemplateSeeder.name);

  constructor(
    private readonly config: RemoteDiagnosisConfig,
    private readonly templates: ReportTemplateService,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!this.config.REPORT_TEMPLATE_SEED_FILE) return;
    const added = await this.templates.seedIfEmpty(
      'report-template-seed',
      readReportTemplateSeed(this.config.REPORT_TEMPLATE_SEED_FILE).templates,
    );
    this.logger.log(
      added > 0
        ? `report template seed: ${added} templates added`
        : 'report template seed: the group has templates already',
    );
  }
}
