import { api } from './http';

/** The read as GET /api/reads gives it (apps/remote-diagnosis read.view.ts). */
export interface ReadView {
  id: string;
  accessionNumber: string;
  status: 'requested' | 'ready' | 'claimed' | 'reported';
  priority: 'emergency' | 'urgent' | 'routine';
  modality: string;
  patient: { patientId: string; name: string | null; sex: string | null; birthDate: string | null };
  requestedBy: { institutionId: string; departmentId: string | null; practitionerId: string };
  readBy: { institutionId: string; departmentId: string | null };
  clinicalQuestion: string | null;
  dueAt: string | null;
  claim: { by: string; expiresAt: string | null } | null;
  readyAt: string | null;
  reportedAt: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface ReportView {
  id: string;
  kind: 'original' | 'addendum';
  findings: string;
  impression: string;
  treatmentPlan: string;
  criticalValue: { category: string; description: string } | null;
  signedBy: { subject: string; institutionId: string; departmentId: string | null };
  signedAt: string;
}

export interface ReadDetail extends ReadView {
  studies: Array<{ studyInstanceUid: string; studyDate: string | null; accessionNumber: string | null }>;
  reports: ReportView[];
}

export interface OrderReadInput {
  patient: { patientId: string; name: string; sex?: 'M' | 'F' | 'O'; birthDate?: string };
  modality: string;
  priority: ReadView['priority'];
  clinicalQuestion?: string;
}

export interface ReportInput {
  findings: string;
  impression: string;
  treatmentPlan: string;
  criticalValue?: { category: string; description: string };
  addendum?: boolean;
}

export interface ReadFilters {
  status?: string;
  modality?: string;
  department?: string;
  /** Requesting institution (a township), filtered by the server. */
  requestedBy?: string;
  limit?: number;
  offset?: number;
}

/** One page of GET /api/reads; `total` counts the whole list under the same filters. */
export interface ReadPage {
  items: ReadView[];
  total: number;
}

/** Every read query starts with 'reads': one invalidation refreshes lists and details alike. */
export const readKeys = {
  all: ['reads'] as const,
  list: (filters: ReadFilters) => ['reads', 'list', filters] as const,
  detail: (id: string) => ['reads', 'detail', id] as const,
};

export function listReads(filters: ReadFilters): Promise<ReadPage> {
  const query = new URLSearchParams({ limit: '200' });
  for (const [k, v] of Object.entries(filters)) if (v !== undefined && v !== '') query.set(k, String(v));
  return api(`/api/reads?${query}`);
}

/** Page `page` (from 1) of a list: the query the screen runs, and the one a prefetch warms. */
export function readPageQuery(filters: Omit<ReadFilters, 'limit' | 'offset'>, pageSize: number, page: number) {
  const query = { ...filters, limit: pageSize, offset: (page - 1) * pageSize };
  return { queryKey: readKeys.list(query), queryFn: () => listReads(query) };
}

export const getRead = (id: string) => api<ReadDetail>(`/api/reads/${encodeURIComponent(id)}`);

export const orderRead = (input: OrderReadInput, idempotencyKey: string) =>
  api<ReadView>('/api/reads', { method: 'POST', body: input, headers: { 'Idempotency-Key': idempotencyKey } });

export const claimRead = (id: string) => api<ReadView>(`/api/reads/${id}/claim`, { method: 'POST' });

export const releaseRead = (id: string, reason?: string) =>
  api<ReadView>(`/api/reads/${id}/release`, { method: 'POST', body: reason ? { reason } : {} });

export const reportRead = (id: string, input: ReportInput) =>
  api<ReadView>(`/api/reads/${id}/report`, { method: 'POST', body: input });
