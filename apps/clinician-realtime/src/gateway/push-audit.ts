import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Principal } from '@countylink/auth';
import { AuditRecord, recordAudits } from '@countylink/persistence';

const FLUSH_EVERY_MS = 250;
/**
 * Sends pending before the quarter second is up: a bound on memory, not on rows. A row is a
 * connection, so flushing by sends (it was 500) cut a 1,000-socket broadcast into rows of one id.
 */
const FLUSH_AT_SENDS = 20_000;

interface Pending {
  principal: Principal;
  ids: string[];
}

/**
 * Who was sent which notification live, in the audit table like every other read of patient data.
 * A live push has no transaction to write in (it is a broadcast at commit), so the pushes of a
 * quarter second are written together: one row per connection with the notifications it was sent.
 * A replay is audited in its own snapshot transaction instead (NotificationReplay).
 */
export class PushAudit {
  private readonly logger = new Logger(PushAudit.name);
  private pending = new Map<string, Pending>();
  private sends = 0;
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly dataSource: DataSource) {}

  /** `connectionId`: one row per socket and flush, however many frames it got meanwhile. */
  sent(connectionId: string, principal: Principal, notificationId: string): void {
    const entry = this.pending.get(connectionId) ?? { principal, ids: [] };
    if (entry.ids.length === 0) this.pending.set(connectionId, entry);
    entry.ids.push(notificationId);
    this.sends++;
    if (this.sends >= FLUSH_AT_SENDS) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), FLUSH_EVERY_MS);
  }

  /** Writes what is pending; flushes run one after another, so rows keep their order. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = [...this.pending.values()];
    this.pending = new Map();
    this.sends = 0;
    if (batch.length === 0) return this.flushing;
    const record = (ids: string[]): AuditRecord => ({
      action: 'notification.push',
      resourceType: 'notification',
      resourceIds: ids,
      reason: 'live push',
    });
    this.flushing = this.flushing
      .then(() =>
        recordAudits(
          this.dataSource.manager,
          batch.map((p) => ({ actor: p.principal, record: record(p.ids) })),
        ),
      )
      .catch((err: unknown) => {
        // Not silently: a gap in the audit trail is an incident someone has to look at.
        this.logger.error(
          { err, connections: batch.length, notifications: batch.reduce((n, p) => n + p.ids.length, 0) },
          'could not write the audit rows of live pushes',
        );
      });
    return this.flushing;
  }
}
