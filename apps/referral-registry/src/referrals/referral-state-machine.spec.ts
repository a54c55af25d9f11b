import { isAwaitingAnswer, REFERRAL_ACTIONS, ReferralStatus, ruleOf, transition } from './referral-state-machine';

const ALL: ReferralStatus[] = ['requested', 'received', 'accepted', 'rejected', 'arrived', 'completed', 'cancelled'];

describe('referral state machine', () => {
  it('walks the happy path requested → received → accepted → arrived → completed', () => {
    let status: ReferralStatus = 'requested';
    for (const action of ['receive', 'accept', 'arrive', 'complete'] as const) {
      const result = transition(status, action);
      expect(result.ok).toBe(true);
      if (result.ok) status = result.to;
    }
    expect(status).toBe('completed');
  });

  it.each([
    ['requested', 'accept'],
    ['requested', 'reject'],
    ['accepted', 'reject'],
    ['received', 'arrive'],
    ['completed', 'cancel'],
    ['rejected', 'cancel'],
    ['cancelled', 'cancel'],
    ['arrived', 'cancel'],
    ['completed', 'complete'],
  ] as const)('refuses %s --%s-->', (from, action) => {
    expect(transition(from, action)).toEqual({ ok: false, allowedFrom: ruleOf(action).from });
  });

  it('allows cancel from every open state before arrival, by the sender only', () => {
    expect(ALL.filter((s) => transition(s, 'cancel').ok)).toEqual(['requested', 'received', 'accepted']);
    expect(ruleOf('cancel').side).toBe('sender');
  });

  it('needs a reason exactly for reject and cancel', () => {
    expect(REFERRAL_ACTIONS.filter((a) => ruleOf(a).needsReason).sort()).toEqual(['cancel', 'reject']);
  });

  it('treats only requested and received as awaiting an answer', () => {
    expect(ALL.filter(isAwaitingAnswer)).toEqual(['requested', 'received']);
  });

  it('has exactly one target per action and no way out of a final state', () => {
    for (const final of ['rejected', 'completed', 'cancelled'] as const) {
      expect(REFERRAL_ACTIONS.filter((a) => transition(final, a).ok)).toEqual([]);
    }
  });
});
