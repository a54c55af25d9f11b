import { api } from './http';

export type PoolState = 'open' | 'not-yet-open' | 'started' | 'released';
export type ResourceKind = 'clinic-session' | 'ward-beds' | 'exam';

export interface PoolView {
  capacity: number;
  booked: number;
  available: number;
  opensAt: string;
  state: PoolState;
}

/** A schedule as GET /api/slots gives it (apps/specialist-slots schedule.view.ts). */
export interface ScheduleView {
  id: string;
  kind: ResourceKind;
  institutionId: string;
  departmentId: string;
  practitionerId: string | null;
  modality: string | null;
  startsAt: string;
  endsAt: string;
  capacity: number;
  reservedShare: number;
  reservedAtPublication: number;
  pools: { reserved: PoolView; general: PoolView };
  releaseAt: string;
  reserveReleased: boolean;
  releasedUnused: number;
  version: number;
}

export interface AppointmentView {
  id: string;
  scheduleId: string;
  pool: 'reserved' | 'general';
  status: 'booked' | 'cancelled' | 'no-show' | 'attended';
  patient: { patientId: string; name: string; sex: string; birthDate: string | null; institutionId: string };
  referralId: string | null;
  fromWaitlist: boolean;
  bookedBy: { subject: string; institutionId: string; roles: string[] };
  bookedAt: string;
  changedAt: string;
  reason: string | null;
  schedule: ScheduleView;
}

export interface BookInput {
  scheduleId: string;
  pool: 'reserved' | 'general';
  referralId?: string;
}

/** Every scheduling query starts with 'scheduling': an appointment push refreshes counts and lists. */
export const schedulingKeys = {
  all: ['scheduling'] as const,
  slots: (params: Record<string, string>) => ['scheduling', 'slots', params] as const,
  schedules: (params: Record<string, string>) => ['scheduling', 'schedules', params] as const,
  appointments: (status: string) => ['scheduling', 'appointments', status] as const,
};

function qs(params: Record<string, string | undefined>): string {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) query.set(k, v);
  return query.toString();
}

/** What is still to come, with both pools' counts. */
export const listSlots = (params: Record<string, string>) =>
  api<{ items: ScheduleView[] }>(`/api/slots?${qs({ limit: '200', ...params })}`);

export const listSchedules = (params: Record<string, string>) =>
  api<{ items: ScheduleView[] }>(`/api/schedules?${qs({ limit: '200', ...params })}`);

export const listAppointments = (status: string) =>
  api<{ items: AppointmentView[] }>(`/api/appointments?${qs({ status, limit: '200' })}`);

export const bookPlace = (input: BookInput, idempotencyKey: string) =>
  api<AppointmentView>('/api/appointments', {
    method: 'POST',
    body: input,
    headers: { 'Idempotency-Key': idempotencyKey },
  });

export const cancelAppointment = (id: string, reason: string) =>
  api<AppointmentView>(`/api/appointments/${id}/cancel`, { method: 'POST', body: { reason } });

export const joinWaitlist = (scheduleId: string, referralId: string) =>
  api<{ id: string; position: number; status: string }>('/api/waitlist', {
    method: 'POST',
    body: { scheduleId, referralId },
  });
