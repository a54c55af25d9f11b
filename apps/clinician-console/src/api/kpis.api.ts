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

/** The figures of GET /api/kpis/read-turnaround (apps/remote-diagnosis) at each level: reads that became ready in the range. */
export interface ReadTurnaroundFigures {
  ready: number;
  reported: number;
  reportedWithinDeadline: number;
  reportedLate: number;
  overdueOpen: number;
  openWithinDeadline: number;
  /** Within deadline over the reads whose outcome is known (reported, or open past the deadline); null when none is. */
  withinDeadlineShare: number | null;
  p50Minutes: number | null;
  p90Minutes: number | null;
}

export interface ReadTurnaroundRow extends ReadTurnaroundFigures {
  modality: string;
  requestingInstitutionId: string;
}

export interface ReadTurnaround {
  from: string;
  to: string;
  asOf: string;
  /** Minutes from ready to due per modality (`*`: any other) and priority. */
  deadlines: Record<string, Record<'emergency' | 'urgent' | 'routine', number>>;
  rows: ReadTurnaroundRow[];
  byModality: Array<ReadTurnaroundFigures & { modality: string }>;
  total: ReadTurnaroundFigures;
}

export const kpiKeys = {
  reservedCapacity: (from: string, to: string) => ['kpis', 'reserved-capacity', from, to] as const,
  referralVolume: (from: string) => ['kpis', 'referral-volume', from] as const,
  readTurnaround: (from: string, to: string) => ['kpis', 'read-turnaround', from, to] as const,
};

export const getReservedCapacity = (from: string, to: string) =>
  api<{ rows: ReservedCapacityRow[] }>(
    `/api/kpis/reserved-capacity?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
  );

export const getReferralVolume = (from: string) =>
  api<{ rows: ReferralVolumeRow[] }>(`/api/kpis/referral-volume?from=${encodeURIComponent(from)}`);

/** `from` and `to` are Beijing days (YYYY-MM-DD), both included. */
export const getReadTurnaround = (from: string, to: string) =>
  api<ReadTurnaround>(`/api/kpis/read-turnaround?from=${from}&to=${to}`);
