import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { Principal } from '@countylink/auth';
import { DomainException } from '@countylink/platform';
import { DiagnosisErrorCode } from '../diagnosis.exception';
import { DIAGNOSIS_DATA_SOURCE } from '../remote-diagnosis.constants';
import { ReportTemplateDto, UpdateReportTemplateDto } from './dtos/report-template.dto';
import { ReportTemplate, TEMPLATE_TITLE_UNIQUE } from './report-template.entity';
import { ReportTemplateRepository } from './report-template.repository';
import { templateView, ReportTemplateView } from './report-template.view';

const notFound = (id: string) =>
  new DomainException(DiagnosisErrorCode.REPORT_TEMPLATE_NOT_FOUND, `No report template ${id}`);

/** The unique (modality, title) constraint, and only it, means "that title is taken". */
function titleTaken(err: unknown, dto: Pick<ReportTemplateDto, 'modality' | 'title'>): DomainException | undefined {
  const driver =
    err instanceof QueryFailedError ? (err.driverError as { code?: string; constraint?: string }) : undefined;
  if (driver?.code !== '23505' || driver.constraint !== TEMPLATE_TITLE_UNIQUE) return undefined;
  return new DomainException(
    DiagnosisErrorCode.REPORT_TEMPLATE_EXISTS,
    `A ${dto.modality} template titled ${dto.title} already exists`,
    { modality: dto.modality, title: dto.title },
  );
}

/** 报告模板: group-wide phrase templates per modality, kept by the group admin. */
@Injectable()
export class ReportTemplateService {
  constructor(
    @InjectDataSource(DIAGNOSIS_DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly templates: ReportTemplateRepository,
  ) {}

  async list(modality?: string): Promise<{ items: ReportTemplateView[] }> {
    const rows = await this.dataSource.manager.find(ReportTemplate, {
      where: modality ? { modality } : {},
      order: { modality: 'ASC', title: 'ASC' },
    });
    return { items: rows.map(templateView) };
  }

  create(principal: Principal, dto: ReportTemplateDto, now = new Date()): Promise<ReportTemplateView> {
    return this.createWithin(this.dataSource.manager, principal, dto, now);
  }

  async createWithin(
    manager: EntityManager,
    principal: Principal,
    dto: ReportTemplateDto,
    now: Date,
  ): Promise<ReportTemplateView> {
    const row: ReportTemplate = {
      id: randomUUID(),
      ...fields(dto),
      createdBy: principal.sub,
      createdAt: now,
      updatedBy: principal.sub,
      updatedAt: now,
      version: 1,
    };
    try {
      await manager.insert(ReportTemplate, row);
    } catch (err) {
      throw titleTaken(err, dto) ?? err;
    }
    return templateView(row);
  }

  /** Replaces the template's text if nobody changed it since `dto.version` (else a 409 naming the current version). */
  update(principal: Principal, id: string, dto: UpdateReportTemplateDto): Promise<ReportTemplateView> {
    return this.dataSource.transaction(async (manager) => {
      const row = await manager.findOne(ReportTemplate, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!row) throw notFound(id);
      if (row.version !== dto.version) {
        throw new DomainException(
          DiagnosisErrorCode.REPORT_TEMPLATE_STALE,
          `The template was changed since version ${dto.version}; reload it and edit again`,
          { currentVersion: row.version },
        );
      }
      const changes = { ...fields(dto), updatedBy: principal.sub, updatedAt: new Date(), version: row.version + 1 };
      try {
        await manager.update(ReportTemplate, { id }, changes);
      } catch (err) {
        throw titleTaken(err, dto) ?? err;
      }
      return templateView({ ...row, ...changes });
    });
  }

  async remove(id: string): Promise<void> {
    const result = await this.dataSource.manager.delete(ReportTemplate, { id });
    if (!result.affected) throw notFound(id);
  }

  /**
   * Adds `dtos` if the group has no template at all; answers how many were added. Instances starting
   * together both find the table empty: the unique title makes the second one's rows no-ops.
   */
  seedIfEmpty(by: string, dtos: ReportTemplateDto[], now = new Date()): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      if (await manager.exists(ReportTemplate)) return 0;
      const rows: ReportTemplate[] = dtos.map((dto) => ({
        id: randomUUID(),
        ...fields(dto),
        createdBy: by,
        createdAt: now,
        updatedBy: by,
        updatedAt: now,
        version: 1,
      }));
      return this.templates.insertIgnoringTaken(manager, rows);
    });
  }
}

function fields(
  dto: ReportTemplateDto,
): Pick<ReportTemplate, 'modality' | 'title' | 'findings' | 'impression' | 'treatmentPlan'> {
  return {
    modality: dto.modality,
    title: dto.title,
    findings: dto.findings,
    impression: dto.impression,
    treatmentPlan: dto.treatmentPlan,
  };
}
