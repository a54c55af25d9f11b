import { Cursor } from '../notifications/notification-cursor';
import { NotificationFrame } from '../notifications/notification-types';

/**
 * One connection's way from "reconnected" to "live" without losing, repeating or reordering:
 * - replaying: the missed notifications are being read and sent; live frames wait in a buffer;
 * - catching-up: replay sent; live frames are sent one by one unless the replay already covered
 *   them (seq ≤ cursor of their room);
 * - live: the socket gets room broadcasts directly (nothing here sees them any more).
 */
export class DeliverySession {
  private mode: 'replaying' | 'catching-up' | 'live' = 'replaying';
  private buffer: NotificationFrame[] = [];
  private cursor: Cursor = {};

  constructor(private readonly send: (frame: NotificationFrame) => void) {}

  get state(): 'replaying' | 'catching-up' | 'live' {
    return this.mode;
  }

  /** A live frame that reached this connection while it is not yet on the broadcast path. */
  offer(frame: NotificationFrame): void {
    if (this.mode === 'replaying') this.buffer.push(frame);
    else if (this.mode === 'catching-up') this.deliver(frame);
  }

  /** The replay was sent and covers every room up to `cursor`: flush what waited, in order. */
  catchUp(cursor: Cursor): void {
    this.cursor = { ...cursor };
    this.mode = 'catching-up';
    for (const frame of this.buffer.splice(0)) this.deliver(frame);
  }

  /** Every frame the replay could have covered has passed: broadcasts take over. */
  goLive(): void {
    this.mode = 'live';
  }

  private deliver(frame: NotificationFrame): void {
    if (frame.seq <= (this.cursor[frame.scope] ?? 0)) return;
    this.cursor[frame.scope] = frame.seq;
    this.send(frame);
  }
}
