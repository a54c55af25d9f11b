import { api } from './http';

export type ReferralStatus = 'requested' | 'received' | 'accepted' | 'rejected' | 'arrived' | 'completed' | 'cancelled';
export type ReferralAction = 'receive' | 'accept' | 'reject' | 'arrive' | 'complete' | 'cancel';
export type Urgency = 'routine' | 'urgent' | 'emergency';
export type GreenChannelCentre = 'chest-pain' | 'stroke' | 'trauma' | 'maternal' | 'neonatal';
export type PatientSex = 'male' | 'female' | 'other' | 'unknown';

/** A referral as GET /api/referrals gives it (apps/referral-registry referral.view.ts). */
export interface ReferralView {
  id: string;
  direction: 'up' | 'down';
  status: ReferralStatus;
  urgency: Urgency;
  greenChannel: { centre: GreenChannelCentre } | null;
  directAdmission: boolean;
  patient: {
    patientId: string;
    name: string;
    sex: PatientSex;
    birthDate: string | null;
    identityNumberMasked: string | null;
  };
  from: { institutionId: string; departmentId: string | null; practitionerId: string };
  to: { institutionId: string; departmentId: string | null };
  diagnosis: { code: string; display: string; inTownshipCatalog: boolean };
  clinicalSummary: string;
  reason: string;
  justification: string | null;
  continuousDeductible: boolean;
  returnsFromReferralId: string | null;
  rehabilitationPlan: string | null;
  downReferralExpected: boolean;
  responseDueAt: string;
  escalationLevel: number;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface ReferralHistoryEntry {
  action: string;
  fromStatus: ReferralStatus | null;
  toStatus: ReferralStatus;
  by: { subject: string; institutionId: string; roles: string[] };
  reason: string | null;
  at: string;
}

export interface ReferralDetail extends ReferralView {
  history: ReferralHistoryEntry[];
}

export interface CreateReferralInput {
  patient: { patientId: string; name: string; sex: PatientSex; birthDate?: string; identityNumber?: string };
  toInstitutionId: string;
  toDepartmentId?: string;
  urgency: Urgency;
  greenChannelCentre?: GreenChannelCentre;
  directAdmission?: boolean;
  diagnosis: { code: string; display: string };
  clinicalSummary: string;
  reason: string;
  justification?: string;
  returnsFromReferralId?: string;
  rehabilitationPlan?: string;
}

export interface ReferralFilters {
  direction?: 'up' | 'down';
  status?: string;
}

export interface CatalogEntry {
  code: string;
  display: string;
}

/** Every referral query starts with 'referrals': a push refreshes lists and details alike. */
export const referralKeys = {
  all: ['referrals'] as const,
  list: (filters: ReferralFilters) => ['referrals', 'list', filters] as const,
  detail: (id: string) => ['referrals', 'detail', id] as const,
};

/** Open: still on its way (the receiving side has not closed it, nor the sender cancelled it). */
export const OPEN_STATUSES: readonly ReferralStatus[] = ['requested', 'received', 'accepted', 'arrived'];

export function listReferrals(filters: ReferralFilters): Promise<{ items: ReferralView[]; nextCursor: string | null }> {
  const query = new URLSearchParams({ limit: '100' });
  for (const [k, v] of Object.entries(filters)) if (v) query.set(k, v);
  return api(`/api/referrals?${query}`);
}

export const getReferral = (id: string) => api<ReferralDetail>(`/api/referrals/${encodeURIComponent(id)}`);

export const createReferral = (input: CreateReferralInput, idempotencyKey: string) =>
  api<ReferralDetail>('/api/referrals', {
    method: 'POST',
    body: input,
    headers: { 'Idempotency-Key': idempotencyKey },
  });

/** Reject and cancel carry `reason`; the other actions an optional `note`. */
export const actOnReferral = (id: string, action: ReferralAction, text?: string) =>
  api<ReferralView>(`/api/referrals/${id}/${action}`, {
    method: 'POST',
    body: action === 'reject' || action === 'cancel' ? { reason: text } : text ? { note: text } : {},
  });

export const getTownshipCatalog = () => api<CatalogEntry[]>('/api/catalogs/township');

/** The catalog entry that covers a code (entries are codes or their prefixes, as the server matches them). */
export function catalogEntryFor(code: string, catalog: readonly CatalogEntry[]): CatalogEntry | undefined {
  const c = code.trim().toUpperCase();
  return catalog.find((e) => c.startsWith(e.code.trim().toUpperCase()));
}
