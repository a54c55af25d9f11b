import { DomainException, statusOfCode } from '@countylink/platform';
import {
  assertReason,
  isAwaitingAnswer,
  REFERRAL_ACTIONS,
  ReferralStatus,
  ruleOf,
  transition,
} from './referral-state-machine';

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

  it.each(['reject', 'cancel'] as const)(
    'refuses to %s without a reason (missing or empty) as invalid, 400',
    (action) => {
      for (const reason of [undefined, '']) {
        let thrown: unknown;
        try {
          assertReason(action, reason);
        } catch (err) {
          thrown = err;
        }
        expect(thrown).toBeInstanceOf(DomainException);
        const err = thrown as DomainException;
        expect({ code: err.code, status: statusOfCode(err.code), message: err.message }).toEqual({
          code: 'VALIDATION_FAILED',
          status: 400,
          message: `reason is required to ${action}`,
        });
        expect(err.details).toEqual([{ field: 'reason', problems: [`reason is required to ${action}`] }]);
      }
      expect(() => assertReason(action, '床位已满')).not.toThrow();
    },
  );

  it('lets every action that needs no reason go without one', () => {
    for (const action of REFERRAL_ACTIONS.filter((a) => !ruleOf(a).needsReason)) {
      expect(() => assertReason(action, undefined)).not.toThrow();
    }
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
