import { priorityRank, READ_PRIORITIES, READ_STATUSES, ReadAction, readTransition } from './read-state-machine';

describe('read state machine', () => {
  it('walks requested → ready → claimed → reported, and takes addenda after', () => {
    const steps: Array<[ReadAction, string]> = [
      ['images-in', 'ready'],
      ['claim', 'claimed'],
      ['report', 'reported'],
      ['amend', 'reported'],
    ];
    let status = READ_STATUSES[0];
    for (const [action, expected] of steps) {
      const result = readTransition(status, action);
      expect(result).toMatchObject({ ok: true, to: expected });
      if (result.ok) status = result.to;
    }
  });

  it('gives a claim back on release or expiry', () => {
    expect(readTransition('claimed', 'release')).toMatchObject({ ok: true, to: 'ready', byClaimHolder: true });
    expect(readTransition('claimed', 'expire')).toMatchObject({ ok: true, to: 'ready', byClaimHolder: false });
  });

  it.each([
    ['requested', 'claim'],
    ['claimed', 'claim'],
    ['reported', 'claim'],
    ['ready', 'report'],
    ['ready', 'release'],
    ['reported', 'report'],
    ['ready', 'amend'],
  ] as const)('refuses %s --%s-->', (from, action) => {
    expect(readTransition(from, action).ok).toBe(false);
  });

  it('lets only the claim holder report or release', () => {
    expect(
      READ_STATUSES.flatMap((s) => (['report', 'release'] as const).map((a) => readTransition(s, a)))
        .filter((r) => r.ok)
        .every((r) => r.ok && r.byClaimHolder),
    ).toBe(true);
  });

  it('orders emergency before urgent before routine', () => {
    expect([...READ_PRIORITIES].sort((a, b) => priorityRank(a) - priorityRank(b))).toEqual([
      'emergency',
      'urgent',
      'routine',
    ]);
  });
});
