import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Namespace } from 'socket.io';
import { DataSource, EntityManager } from 'typeorm';
import { REALTIME_DATA_SOURCE } from '../clinician-realtime.constants';
import { RecordedNotification } from '../notifications/notification-types';
import {
  ADAPTER_CHANNEL,
  BARRIER,
  DIRECTORY_CHANGED,
  DirectoryChange,
  PUSHED,
  pushMessages,
  serverSideEmitMessage,
} from './push-messages';

export const BARRIER_TIMEOUT_MS = 3_000;

/**
 * Pushes recorded notifications to every instance (through the PostgreSQL Socket.IO adapter's
 * channel), and tells a connection when every push committed before a moment has arrived here.
 */
@Injectable()
export class LivePush {
  private readonly logger = new Logger(LivePush.name);
  private readonly barriers = new Map<string, (passed: boolean) => void>();
  private nextBarrier?: Promise<boolean>;

  constructor(@InjectDataSource(REALTIME_DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** Inside the transaction that recorded them: delivered at commit, in commit order, or never. */
  async publish(manager: EntityManager, notifications: readonly RecordedNotification[]): Promise<void> {
    for (const message of pushMessages(notifications))
      await manager.query('SELECT pg_notify($1, $2)', [ADAPTER_CHANNEL, message]);
  }

  /**
   * A directory change, told to every instance at commit (after the replica row it describes is
   * written), in order with the pushes around it.
   */
  async directoryChanged(manager: EntityManager, change: DirectoryChange): Promise<void> {
    await manager.query('SELECT pg_notify($1, $2)', [
      ADAPTER_CHANNEL,
      serverSideEmitMessage(DIRECTORY_CHANGED, change),
    ]);
  }

  /** Wires this instance's namespace: pushed notifications go to `dispatch`, barriers resolve. */
  listen(
    nsp: Namespace,
    dispatch: (notifications: RecordedNotification[]) => void,
    onDirectoryChange: (change: DirectoryChange) => void,
  ): void {
    const on = nsp.on.bind(nsp) as (event: string, listener: (arg: unknown) => void) => Namespace;
    on(PUSHED, (arg) => {
      try {
        dispatch(arg as RecordedNotification[]);
      } catch (err) {
        this.logger.error({ err }, 'dispatching pushed notifications failed');
      }
    });
    on(BARRIER, (token) => this.barriers.get(String(token))?.(true));
    on(DIRECTORY_CHANGED, (change) => onDirectoryChange((change ?? {}) as DirectoryChange));
  }

  /**
   * Resolves true once every push committed before this call has been dispatched here (NOTIFYs
   * arrive in commit order, so a marker sent now arrives after them). Calls in the same tick share
   * one marker. False after `timeoutMs` (the LISTEN connection is down, or not listening yet):
   * callers stay careful.
   */
  barrier(timeoutMs = BARRIER_TIMEOUT_MS): Promise<boolean> {
    if (timeoutMs !== BARRIER_TIMEOUT_MS) return this.sendBarrier(timeoutMs);
    if (!this.nextBarrier) {
      this.nextBarrier = this.sendBarrier(timeoutMs);
      setImmediate(() => (this.nextBarrier = undefined));
    }
    return this.nextBarrier;
  }

  private sendBarrier(timeoutMs: number): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const token = randomUUID();
      const timer = setTimeout(() => settle(false), timeoutMs);
      const settle = (passed: boolean) => {
        clearTimeout(timer);
        this.barriers.delete(token);
        resolve(passed);
      };
      this.barriers.set(token, settle);
      setImmediate(() => {
        this.dataSource
          .query('SELECT pg_notify($1, $2)', [ADAPTER_CHANNEL, serverSideEmitMessage(BARRIER, token)])
          .catch((err: unknown) => {
            this.logger.warn({ err }, 'could not send a push barrier');
            settle(false);
          });
      });
    });
  }
}
