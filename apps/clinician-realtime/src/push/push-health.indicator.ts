import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { Namespace } from 'socket.io';
import { BARRIER_TIMEOUT_MS, LivePush } from './live-push.service';

const CHECK_EVERY_MS = 15_000;
/**
 * While not (yet) healthy, the first marker is given this long, each next one twice as long (up to
 * the barrier's own timeout), and sent 100 ms after the last: the first markers go out before the
 * adapter's LISTEN is in place and are never heard, and waiting out the full barrier timeout for
 * the first kept every connection (and a short-lived token with it) waiting 3 s after each start.
 */
const FIRST_PROBE_MS = 250;
const PROBE_EVERY_MS = 100;

/**
 * Live pushes reach this instance only while its LISTEN connection works. Connections are taken
 * once a push marker has made the round trip; if a later check fails, this instance's sockets are
 * dropped so their clients reconnect and resume from what they saw — nothing is silently missed.
 */
@Injectable()
export class PushHealth implements OnApplicationShutdown {
  private readonly logger = new Logger(PushHealth.name);
  private healthy = false;
  private waiters: Array<() => void> = [];
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(private readonly push: LivePush) {}

  start(nsp: Namespace): void {
    let probeMs = FIRST_PROBE_MS;
    const check = async () => {
      const ok = await (this.healthy ? this.push.barrier() : this.push.barrier(probeMs));
      if (this.stopped) return;
      probeMs = ok ? FIRST_PROBE_MS : Math.min(probeMs * 2, BARRIER_TIMEOUT_MS);
      if (ok && !this.healthy) {
        this.healthy = true;
        for (const wake of this.waiters.splice(0)) wake();
      } else if (!ok && this.healthy) {
        this.healthy = false;
        this.logger.error(
          'live pushes stopped arriving (LISTEN connection down): dropping sockets so that they resume',
        );
        nsp.local.disconnectSockets(true);
      }
      this.timer = setTimeout(() => void check(), this.healthy ? CHECK_EVERY_MS : PROBE_EVERY_MS);
      this.timer.unref();
    };
    void check();
  }

  /** Resolves true once pushes arrive here, false if they do not within `timeoutMs`. */
  whenHealthy(timeoutMs: number): Promise<boolean> {
    if (this.healthy) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }
}
