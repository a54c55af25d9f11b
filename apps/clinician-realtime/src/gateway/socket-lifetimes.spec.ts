import { SocketLifetimes } from './socket-lifetimes';

interface FakeSocket {
  id: string;
  expiresAt: number;
}

describe('SocketLifetimes', () => {
  it('closes a socket when its token runs out, and none that were untracked', async () => {
    const closed: string[] = [];
    const lifetimes = new SocketLifetimes<FakeSocket>(
      (s) => s.expiresAt,
      (s) => closed.push(s.id),
    );
    const soon = { id: 'soon', expiresAt: Date.now() + 30 };
    const gone = { id: 'gone', expiresAt: Date.now() + 30 };
    lifetimes.track(soon);
    lifetimes.track(gone);
    lifetimes.untrack(gone);
    await new Promise<void>((resolve) => {
      const check = setInterval(() => closed.length > 0 && (clearInterval(check), resolve()), 5);
    });
    expect(closed).toEqual(['soon']);
    lifetimes.stop();
  });

  it('sweeps before a push: the expired ones go, the rest stay, and nothing is walked before the earliest expiry', () => {
    const closed: string[] = [];
    const lifetimes = new SocketLifetimes<FakeSocket>(
      (s) => s.expiresAt,
      (s) => closed.push(s.id),
    );
    const now = Date.now();
    const sockets = [
      { id: 'a', expiresAt: now + 1_000 },
      { id: 'b', expiresAt: now + 5_000 },
    ];
    for (const s of sockets) lifetimes.track(s);
    let walked = 0;
    const walk = function* () {
      for (const s of sockets) {
        walked++;
        yield s;
      }
    };
    lifetimes.sweep(walk(), now + 500);
    expect([closed, walked]).toEqual([[], 0]);
    lifetimes.sweep(walk(), now + 1_000);
    expect(closed).toEqual(['a']);
    expect(lifetimes.expired(sockets[1], now + 4_999)).toBe(false);
    expect(lifetimes.expired(sockets[1], now + 5_000)).toBe(true);
    lifetimes.stop();
  });
});
