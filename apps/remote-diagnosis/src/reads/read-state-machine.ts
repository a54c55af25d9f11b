/**
 * The life of a read: requested (ordered, waiting for images) → ready (on the county worklist) →
 * claimed (one specialist holds it; the claim lapses back to ready) → reported; a reported read
 * takes addenda and stays reported.
 */
export type ReadStatus = 'requested' | 'ready' | 'claimed' | 'reported';
export type ReadPriority = 'routine' | 'urgent' | 'emergency';
export type ReadAction = 'images-in' | 'claim' | 'assign' | 'release' | 'expire' | 'report' | 'amend';

export const READ_STATUSES: readonly ReadStatus[] = ['requested', 'ready', 'claimed', 'reported'];
export const READ_PRIORITIES: readonly ReadPriority[] = ['routine', 'urgent', 'emergency'];

interface Rule {
  from: readonly ReadStatus[];
  to: ReadStatus;
  /** Only the specialist holding the claim may do it. */
  byClaimHolder: boolean;
}

const RULES: Record<ReadAction, Rule> = {
  'images-in': { from: ['requested'], to: 'ready', byClaimHolder: false },
  claim: { from: ['ready'], to: 'claimed', byClaimHolder: false },
  /** The department head or the group admin gives the read to one of the department's specialists (指派). */
  assign: { from: ['ready', 'claimed'], to: 'claimed', byClaimHolder: false },
  release: { from: ['claimed'], to: 'ready', byClaimHolder: true },
  expire: { from: ['claimed'], to: 'ready', byClaimHolder: false },
  report: { from: ['claimed'], to: 'reported', byClaimHolder: true },
  amend: { from: ['reported'], to: 'reported', byClaimHolder: false },
};

export type ReadTransition =
  { ok: true; to: ReadStatus; byClaimHolder: boolean } | { ok: false; allowedFrom: readonly ReadStatus[] };

export function readTransition(current: ReadStatus, action: ReadAction): ReadTransition {
  const rule = RULES[action];
  return rule.from.includes(current)
    ? { ok: true, to: rule.to, byClaimHolder: rule.byClaimHolder }
    : { ok: false, allowedFrom: rule.from };
}

/** Worklist order: emergency first, then urgent, then routine. */
export function priorityRank(priority: ReadPriority): number {
  return { emergency: 0, urgent: 1, routine: 2 }[priority];
}
