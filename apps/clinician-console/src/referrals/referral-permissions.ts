import type { ReferralAction, ReferralView } from '../api/referrals.api';
import type { Session } from '../auth/session';

/**
 * Which buttons to offer: a mirror of the registry's rules (referral-state-machine.ts and
 * referral-access.ts) so a clinician is not shown what the server would refuse. The server still decides.
 */
const FROM: Record<ReferralAction, readonly string[]> = {
  receive: ['requested'],
  accept: ['received'],
  reject: ['received'],
  arrive: ['accepted'],
  complete: ['arrived'],
  cancel: ['requested', 'received', 'accepted'],
};

const RECEIVERS = {
  up: ['referral-coordinator', 'county-specialist'],
  down: ['township-doctor', 'family-doctor'],
} as const;
const SENDERS = {
  up: ['township-doctor', 'family-doctor'],
  down: ['county-specialist', 'referral-coordinator'],
} as const;

const has = (session: Session, roles: readonly string[]) => session.roles.some((r) => roles.includes(r));

export function allowedActions(session: Session, r: ReferralView): ReferralAction[] {
  const receiver = r.to.institutionId === session.institutionId && has(session, RECEIVERS[r.direction]);
  // A specialist answers for their own department; the referral office for all of them.
  const otherDepartment =
    r.direction === 'up' &&
    !has(session, ['referral-coordinator']) &&
    !!r.to.departmentId &&
    !!session.departmentId &&
    r.to.departmentId !== session.departmentId;
  const sender = r.from.institutionId === session.institutionId && has(session, SENDERS[r.direction]);
  return (Object.keys(FROM) as ReferralAction[]).filter((action) => {
    if (!FROM[action].includes(r.status)) return false;
    return action === 'cancel' ? sender : receiver && !otherDepartment;
  });
}

/** A county specialist or the office may refer the patient back down once they arrived. */
export function mayReferDown(session: Session, r: ReferralView): boolean {
  return (
    r.direction === 'up' &&
    r.to.institutionId === session.institutionId &&
    has(session, SENDERS.down) &&
    (r.status === 'arrived' || r.status === 'completed')
  );
}
