/**
 * What clients receive. Every notification is pushed as a Socket.IO event named after its type
 * (`referral.accepted`, `alert.raised`, later `read.ready`…), with the same frame shape, live or
 * replayed. `scope` + `seq` say where it stands in the room it reached this client through.
 */
export const REFERRAL_NOTIFICATION_TYPES = [
  'referral.requested',
  'referral.received',
  'referral.accepted',
  'referral.rejected',
  'referral.arrived',
  'referral.completed',
  'referral.cancelled',
  'referral.escalated',
] as const;
export const ALERT_NOTIFICATION_TYPES = ['alert.raised', 'alert.escalated', 'alert.acknowledged'] as const;
export const APPOINTMENT_NOTIFICATION_TYPES = [
  'appointment.booked',
  'appointment.cancelled',
  'appointment.no-show',
  'appointment.attended',
  'appointment.offered-from-waitlist',
] as const;

export type ReferralNotificationType = (typeof REFERRAL_NOTIFICATION_TYPES)[number];
export type AlertNotificationType = (typeof ALERT_NOTIFICATION_TYPES)[number];
export const READ_NOTIFICATION_TYPES = [
  'read.ready',
  'read.claimed',
  'read.released',
  'read.reported',
  'read.amended',
] as const;
export type ReadNotificationType = (typeof READ_NOTIFICATION_TYPES)[number];
export type AppointmentNotificationType = (typeof APPOINTMENT_NOTIFICATION_TYPES)[number];
export type NotificationType =
  ReferralNotificationType | AlertNotificationType | AppointmentNotificationType | ReadNotificationType;
export const NOTIFICATION_TYPES: readonly NotificationType[] = [
  ...REFERRAL_NOTIFICATION_TYPES,
  ...ALERT_NOTIFICATION_TYPES,
  ...APPOINTMENT_NOTIFICATION_TYPES,
  ...READ_NOTIFICATION_TYPES,
];

/** A referral as a clinician's screen needs it at a glance; details come from the referral API. */
export interface ReferralNotice {
  referralId: string;
  direction: 'up' | 'down';
  status: string;
  urgency: string;
  greenChannelCentre: string | null;
  fromInstitutionId: string;
  fromPractitionerId: string;
  toInstitutionId: string;
  toDepartmentId: string | null;
  patientName: string;
  diagnosis: string;
  version: number;
  actor: string | null;
  reason: string | null;
  escalationLevel: number | null;
  escalatedToRole: string | null;
}

export interface AlertNotice {
  alertId: string;
  kind: 'green-channel' | 'critical-value';
  step: 'on-duty' | 'department-head' | 'coordinator';
  subjectType: string;
  subjectId: string;
  institutionId: string;
  departmentId: string | null;
  raisedAt: string;
  acknowledgeDueAt: string | null;
  summary: string;
  acknowledgedBy: string | null;
}

/** A booked place (reserved or general) as the referring doctor and the department see it. */
export interface AppointmentNotice {
  appointmentId: string;
  scheduleId: string;
  referralId: string | null;
  pool: string;
  status: string;
  kind: string;
  institutionId: string;
  departmentId: string;
  startsAt: string | null;
  patientName: string;
  patientInstitutionId: string;
  actor: string | null;
  reason: string | null;
}

/** A remote read (基层检查 + 上级诊断) as the reading desk and the requesting doctor see it. */
export interface ReadNotice {
  readId: string;
  accessionNumber: string;
  status: string;
  priority: string;
  modality: string;
  patientName: string;
  requestingInstitutionId: string;
  requestingPractitionerId: string;
  readingInstitutionId: string;
  readingDepartmentId: string;
  dueAt: string | null;
  claimedBy: string | null;
  impression: string | null;
  treatmentPlan: string | null;
}

export interface NotificationDataByType {
  'referral.requested': ReferralNotice;
  'referral.received': ReferralNotice;
  'referral.accepted': ReferralNotice;
  'referral.rejected': ReferralNotice;
  'referral.arrived': ReferralNotice;
  'referral.completed': ReferralNotice;
  'referral.cancelled': ReferralNotice;
  'referral.escalated': ReferralNotice;
  'alert.raised': AlertNotice;
  'alert.escalated': AlertNotice;
  'alert.acknowledged': AlertNotice;
  'appointment.booked': AppointmentNotice;
  'appointment.cancelled': AppointmentNotice;
  'appointment.no-show': AppointmentNotice;
  'appointment.attended': AppointmentNotice;
  'appointment.offered-from-waitlist': AppointmentNotice;
  'read.ready': ReadNotice;
  'read.claimed': ReadNotice;
  'read.released': ReadNotice;
  'read.reported': ReadNotice;
  'read.amended': ReadNotice;
}

export interface NotificationSubject {
  type: 'referral' | 'alert' | 'read' | 'appointment';
  id: string;
}

/** A notification as it is recorded: every room it goes to, with its position there (in rank order). */
export interface RecordedNotification<T extends NotificationType = NotificationType> {
  id: string;
  type: T;
  at: string;
  subject: NotificationSubject;
  /** Null only when pushed without it (too large for NOTIFY). */
  data: NotificationDataByType[T] | null;
  deliveries: Array<{ scope: string; seq: number }>;
}

export interface NotificationFrame<T extends NotificationType = NotificationType> {
  /** Global id of the notification (the same in every room it reached). */
  id: string;
  /** The room this copy came through, and its position there: send it back as `lastSeen`. */
  scope: string;
  seq: number;
  type: T;
  at: string;
  subject: NotificationSubject;
  /** Null only when the payload was too large to push; fetch it with GET /api/notifications. */
  data: NotificationDataByType[T] | null;
  replayed?: true;
}

/** Sent once per connection, after any replay: the rooms joined and where each stands. */
export interface ReadyFrame {
  rooms: string[];
  cursor: Record<string, number>;
  replayed: number;
  /** More was missed than a reconnect replays: fetch GET /api/notifications?after=<after>&until=<until>. */
  more: boolean;
  after?: string;
  until?: string;
}

export type AckResult =
  | { ok: true; alert: AlertNotice; alreadyAcknowledged: boolean }
  | { ok: false; error: { code: string; message: string; userMessage?: string } };

/** Server → client events (typed for Socket.IO's `Server<…>` and for clients). */
export type ServerToClientEvents = { [T in NotificationType]: (frame: NotificationFrame<T>) => void } & {
  ready: (frame: ReadyFrame) => void;
};

/** Client → server events: acknowledging an alert is the only thing a client can ask for. */
export interface ClientToServerEvents {
  ack: (request: { alertId: string }, reply: (result: AckResult) => void) => void;
}

export function frameOf(
  n: RecordedNotification,
  delivery: { scope: string; seq: number },
  replayed = false,
): NotificationFrame {
  return {
    id: n.id,
    scope: delivery.scope,
    seq: delivery.seq,
    type: n.type,
    at: n.at,
    subject: n.subject,
    data: n.data,
    ...(replayed ? { replayed: true as const } : {}),
  };
}
