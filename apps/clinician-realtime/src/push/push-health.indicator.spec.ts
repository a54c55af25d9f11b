import type { Namespace } from 'socket.io';
import { BARRIER_TIMEOUT_MS, LivePush } from './live-push.service';
import { PushHealth } from './push-health.indicator';

/**
 * A LivePush whose markers are lost (as before the adapter's LISTEN is in place, or while it is
 * down) until `listening` is set; each lost marker is given up after the timeout it was sent with.
 */
function fakePush() {
  const state = { listening: false, timeouts: [] as number[] };
  const push = {
    barrier: (timeoutMs = BARRIER_TIMEOUT_MS) => {
      state.timeouts.push(timeoutMs);
      if (state.listening) return Promise.resolve(true);
      return new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs));
    },
  } as unknown as LivePush;
  return { push, state };
}

const nsp = () => {
  const disconnectSockets = jest.fn();
  return { nsp: { local: { disconnectSockets } } as unknown as Namespace, disconnectSockets };
};

/** Whether the instance takes connections now (without waiting for it to). */
async function healthyNow(health: PushHealth): Promise<boolean> {
  const answer = health.whenHealthy(0);
  await jest.advanceTimersByTimeAsync(0);
  return answer;
}

describe('PushHealth', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('takes connections within a second of starting when its first marker went out before LISTEN', async () => {
    const { push, state } = fakePush();
    const health = new PushHealth(push);
    health.start(nsp().nsp);
    const healthy = health.whenHealthy(1_000);
    // The first marker is lost; LISTEN is in place a moment later.
    await jest.advanceTimersByTimeAsync(50);
    state.listening = true;
    await jest.advanceTimersByTimeAsync(950);
    await expect(healthy).resolves.toBe(true);
    expect(state.timeouts[0]).toBeLessThan(1_000);
    health.onApplicationShutdown();
  });

  it('while not healthy, gives each next marker twice as long, up to the barrier timeout', async () => {
    const { push, state } = fakePush();
    const health = new PushHealth(push);
    health.start(nsp().nsp);
    await jest.advanceTimersByTimeAsync(20_000);
    expect(state.timeouts.slice(0, 6)).toEqual([250, 500, 1_000, 2_000, BARRIER_TIMEOUT_MS, BARRIER_TIMEOUT_MS]);
    expect(await healthyNow(health)).toBe(false);
    health.onApplicationShutdown();
  });

  it('drops its sockets once when a check of a healthy instance fails, and takes connections again after', async () => {
    const { push, state } = fakePush();
    const { nsp: namespace, disconnectSockets } = nsp();
    const health = new PushHealth(push);
    state.listening = true;
    health.start(namespace);
    expect(await healthyNow(health)).toBe(true);
    state.listening = false;
    await jest.advanceTimersByTimeAsync(15_000 + BARRIER_TIMEOUT_MS + 10);
    expect(disconnectSockets).toHaveBeenCalledTimes(1);
    expect(disconnectSockets).toHaveBeenCalledWith(true);
    state.listening = true;
    await jest.advanceTimersByTimeAsync(2_000);
    expect(await healthyNow(health)).toBe(true);
    expect(disconnectSockets).toHaveBeenCalledTimes(1);
    health.onApplicationShutdown();
  });
});
