import type { ReportTemplate } from './report-template.entity';

/** The JSON the console sees for a template. */
export function templateView(t: ReportTemplate) {
  return {
    id: t.id,
    modality: t.modality,
    title: t.title,
    findings: t.findings,
    impression: t.impression,
    treatmentPlan: t.treatmentPlan,
    createdBy: t.createdBy,
    createdAt: t.createdAt.toISOString(),
    updatedBy: t.updatedBy,
    updatedAt: t.updatedAt.toISOString(),
    version: t.version,
  };
}

export type ReportTemplateView = ReturnType<typeof templateView>;
