import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { Namespace } from 'socket.io';
import { LivePush } from './live-push.service';

const CHECK_EVERY_MS = 15_000;

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
    const check = async () => {
      const ok = await this.push.barrier();
      if (this.stopped) return;
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
      this.timer = setTimeout(() => void check(), this.healthy ? CHECK_EVERY_MS : 200);
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
