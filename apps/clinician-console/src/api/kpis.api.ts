import { api } from './http';

/** GET /api/kpis/reserved-capacity (apps/specialist-slots): per department and resource kind. */
export interface ReservedCapacityRow {
  institutionId: string;
  departmentId: string;
  kind: string;
  schedules: number;
  capacity: number;
  reserved: number;
  reservedShare: number | null;
  bookedThroughReferral: number;
  releasedUnused: number;
  referredPatients: number;
  seenWithinReservation: number;
  seenWithinReservationShare: number | null;
}

/** GET /api/kpis/referral-volume (apps/referral-registry): per Beijing month, direction and primary-care end. */
export interface ReferralVolumeRow {
  month: string;
  direction: 'up' | 'down';
  primaryCareInstitutionId: string;
  referrals: number;
  greenChannel: number;
  rejected: number;
  completed: number;
}

export const kpiKeys = {
  reservedCapacity: (from: string, to: string) => ['kpis', 'reserved-capacity', from, to] as const,
  referralVolume: (from: string) => ['kpis', 'referral-volume', from] as const,
};

export const getReservedCapacity = (from: string, to: string) =>
  api<{ rows: ReservedCapacityRow[] }>(`/api/kpis/reserved-capacity?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);

export const getReferralVolume = (from: string) => api<{ rows: ReferralVolumeRow[] }>(`/api/kpis/referral-volume?from=${encodeURIComponent(from)}`);
