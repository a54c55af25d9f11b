import { EntityManager } from 'typeorm';
import type { Principal } from '@countylink/auth';
import type { Referral } from './referral.entity';
import { ReferralHistory } from './referral-history.entity';
import type { ReferralAction, ReferralStatus } from './referral-state-machine';

/** What a history entry records: the referral's own actions, its escalations and the appointments booked for it. */
export type ReferralHistoryAction =
  'create' | ReferralAction | 'escalate' | 'appointment-booked' | 'appointment-cancelled';

/** Who acted, as the history keeps it. */
export interface HistoryActor {
  subject: string;
  institutionId: string | null;
  roles: readonly string[];
}

/** The escalation job (and anything else without a caller) acts as the system. */
export const SYSTEM_HISTORY_ACTOR: HistoryActor = { subject: 'system', institutionId: null, roles: [] };

export function historyActorOf(principal: Principal): HistoryActor {
  return { subject: principal.sub, institutionId: principal.institutionId, roles: principal.roles };
}

export interface HistoryEntry {
  action: ReferralHistoryAction;
  /** The status before the action (null when the referral is created); `toStatus` is the referral's status now. */
  fromStatus: ReferralStatus | null;
  actor: HistoryActor;
  reason: string | null;
  at: Date;
}

/**
 * The one writer of `referral_history` (append-only): the service's create and transitions, the
 * escalation job and the appointment consumer all record through here, inside their own transaction.
 */
export async function writeHistory(
  manager: EntityManager,
  referral: Pick<Referral, 'id' | 'status'>,
  entry: HistoryEntry,
): Promise<void> {
  await manager.insert(ReferralHistory, {
    referralId: referral.id,
    action: entry.action,
    fromStatus: entry.fromStatus,
    toStatus: referral.status,
    actorSubject: entry.actor.subject,
    actorInstitutionId: entry.actor.institutionId,
    actorRoles: [...entry.actor.roles],
    reason: entry.reason,
    at: entry.at,
  });
}
