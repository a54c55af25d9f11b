/** The frames of the `/clinician` namespace (apps/clinician-realtime notification-types.ts). */
export interface NotificationFrame {
  id: string;
  scope: string;
  seq: number;
  type: string;
  at: string;
  subject: { type: 'referral' | 'alert' | 'read' | 'appointment'; id: string };
  data: Record<string, unknown> | null;
  replayed?: true;
}

export interface ReadyFrame {
  rooms: string[];
  cursor: Record<string, number>;
  replayed: number;
  more: boolean;
  after?: string;
  until?: string;
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

export type AckResult =
  | { ok: true; alert: AlertNotice; alreadyAcknowledged: boolean }
  | { ok: false; error: { code: string; message: string; userMessage?: string } };

export type ConnectionState = 'connecting' | 'connected' | 'disconnected' | 'restored';
