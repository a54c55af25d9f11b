interface Closable {
  id: string;
}

/**
 * Closes each socket when its token expires: one timer per socket, and a sweep before every push
 * (a timer may fire a little late, and nothing may reach a socket after its token's `exp`). The
 * sweep only walks the sockets when the earliest expiry known has passed.
 */
export class SocketLifetimes<S extends Closable> {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private earliest = Infinity;

  constructor(
    private readonly expiresAt: (socket: S) => number,
    private readonly close: (socket: S) => void,
  ) {}

  expired(socket: S, now = Date.now()): boolean {
    return this.expiresAt(socket) <= now;
  }

  track(socket: S): void {
    const at = this.expiresAt(socket);
    this.earliest = Math.min(this.earliest, at);
    // setTimeout takes at most 2^31-1 ms (24.8 days); tokens live at most a week (AUTH_TOKEN_MAX_LIFETIME_SECONDS).
    const timer = setTimeout(() => this.close(socket), Math.min(Math.max(0, at - Date.now()), 2 ** 31 - 1));
    timer.unref();
    this.timers.set(socket.id, timer);
  }

  untrack(socket: S): void {
    clearTimeout(this.timers.get(socket.id));
    this.timers.delete(socket.id);
  }

  /** Closes every socket whose token has run out, if any can have. */
  sweep(sockets: Iterable<S>, now = Date.now()): void {
    if (now < this.earliest) return;
    let next = Infinity;
    for (const socket of [...sockets]) {
      const at = this.expiresAt(socket);
      if (at <= now) this.close(socket);
      else next = Math.min(next, at);
    }
    this.earliest = next;
  }

  stop(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
