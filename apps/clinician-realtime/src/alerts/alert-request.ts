import type { AlertKind } from './alert-ladder';

/** An alert an event asks for: who must answer (institution, department) and about what. */
export interface AlertRequest {
  kind: AlertKind;
  subject: { type: 'referral' | 'read'; id: string };
  institutionId: string;
  departmentId: string | null;
  /** A short line for screens and pagers; never an identity number. */
  summary: string;
  at: Date;
}
