import { useQuery } from '@tanstack/react-query';
import { api, send } from './http';

/** A template as GET /api/report-templates gives it (apps/remote-diagnosis report-template.view.ts). */
export interface ReportTemplateView {
  id: string;
  modality: string;
  title: string;
  findings: string;
  impression: string;
  treatmentPlan: string;
  createdBy: string;
  createdAt: string;
  updatedBy: string;
  updatedAt: string;
  version: number;
}

export type ReportTemplateInput = Pick<
  ReportTemplateView,
  'modality' | 'title' | 'findings' | 'impression' | 'treatmentPlan'
>;

/** Every template query starts with 'report-templates': one invalidation after an edit refreshes all lists. */
export const templateKeys = {
  all: ['report-templates'] as const,
  list: (modality: string) => ['report-templates', 'list', modality] as const,
};

/** The group's templates, of one modality or (with '') all of them. */
export function listReportTemplates(modality: string): Promise<{ items: ReportTemplateView[] }> {
  return api(`/api/report-templates${modality ? `?${new URLSearchParams({ modality })}` : ''}`);
}

export function useReportTemplates(modality: string) {
  // Templates change seldom (an admin's edit); a reader's form need not refetch them on every focus.
  return useQuery({
    queryKey: templateKeys.list(modality),
    queryFn: () => listReportTemplates(modality),
    staleTime: 60_000,
  });
}

export const createReportTemplate = (input: ReportTemplateInput) =>
  api<ReportTemplateView>('/api/report-templates', { method: 'POST', body: input });

/** `version` is the one the edit started from: another admin's edit in between makes it a 409 (REPORT_TEMPLATE_STALE). */
export const updateReportTemplate = (id: string, input: ReportTemplateInput, version: number) =>
  api<ReportTemplateView>(`/api/report-templates/${id}`, { method: 'PUT', body: { ...input, version } });

export async function deleteReportTemplate(id: string): Promise<void> {
  await send(`/api/report-templates/${id}`, { method: 'DELETE' });
}
