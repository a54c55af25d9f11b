import { CommonErrorCode, DomainException } from '@countylink/platform';

/**
 * The referral lifecycle, after FHIR Task: requested → received → accepted | rejected,
 * accepted → arrived → completed, and cancelled from any open state by the sender.
 */
export type ReferralStatus = 'requested' | 'received' | 'accepted' | 'rejected' | 'arrived' | 'completed' | 'cancelled';
export type ReferralAction = 'receive' | 'accept' | 'reject' | 'arrive' | 'complete' | 'cancel';

/** Which end of the referral may take an action. */
export type ReferralSide = 'sender' | 'receiver';

interface TransitionRule {
  from: readonly ReferralStatus[];
  to: ReferralStatus;
  side: ReferralSide;
  needsReason: boolean;
}

const RULES: Record<ReferralAction, TransitionRule> = {
  receive: { from: ['requested'], to: 'received', side: 'receiver', needsReason: false },
  accept: { from: ['received'], to: 'accepted', side: 'receiver', needsReason: false },
  reject: { from: ['received'], to: 'rejected', side: 'receiver', needsReason: true },
  arrive: { from: ['accepted'], to: 'arrived', side: 'receiver', needsReason: false },
  complete: { from: ['arrived'], to: 'completed', side: 'receiver', needsReason: false },
  cancel: { from: ['requested', 'received', 'accepted'], to: 'cancelled', side: 'sender', needsReason: true },
};

export const REFERRAL_ACTIONS = Object.keys(RULES) as ReferralAction[];

export function ruleOf(action: ReferralAction): TransitionRule {
  return RULES[action];
}

/**
 * The reason rule, enforced here for every way in (HTTP, HIS command): an action whose rule
 * `needsReason` (reject, cancel) says why, in a non-empty reason. Checked before anything is read,
 * so a reasonless request is refused as invalid (VALIDATION_FAILED, 400) whatever the referral's state.
 */
export function assertReason(action: ReferralAction, reason: string | undefined): void {
  if (!RULES[action].needsReason || reason) return;
  const problem = `reason is required to ${action}`;
  throw new DomainException(CommonErrorCode.VALIDATION_FAILED, problem, [{ field: 'reason', problems: [problem] }]);
}

export type TransitionResult = { ok: true; to: ReferralStatus } | { ok: false; allowedFrom: readonly ReferralStatus[] };

export function transition(current: ReferralStatus, action: ReferralAction): TransitionResult {
  const rule = RULES[action];
  return rule.from.includes(current) ? { ok: true, to: rule.to } : { ok: false, allowedFrom: rule.from };
}

/** Still waiting for the receiving side to decide: the escalation clock runs. */
export function isAwaitingAnswer(status: ReferralStatus): boolean {
  return status === 'requested' || status === 'received';
}

export function isOpen(status: ReferralStatus): boolean {
  return status !== 'rejected' && status !== 'completed' && status !== 'cancelled';
}
