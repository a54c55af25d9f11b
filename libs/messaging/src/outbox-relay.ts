import { createHash } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import { counter, gauge } from '@countylink/platform';
import { toHeaders } from './envelope';
import { outboxChannel } from './event-publisher';
import { OutboxMessage } from './outbox-message.entity';
import { Transport, WireMessage } from './transport';

const BATCH = 500;
const MAX_BACKOFF_MS = 5_000;

const published = counter('countylink_outbox_published_total', 'Events the outbox relay handed to the broker', [
  'schema',
]);
const failures = counter('countylink_outbox_publish_failures_total', 'Failed publish attempts (retried)', ['schema']);
const backlog = gauge('countylink_outbox_backlog', 'Outbox rows seen waiting at the last relay pass', ['schema']);

const toWire = (row: OutboxMessage): WireMessage => ({
  key: row.key,
  value: row.payload,
  headers: toHeaders({
    id: row.eventId,
    type: row.type,
    source: row.source,
    time: row.occurredAt.toISOString(),
    subject: row.subject ?? undefined,
  }),
});

function relayLockKey(schema: string): string {
  return createHash('sha256').update(`countylink:relay:${schema}`).digest().readBigInt64BE(0).toString();
}

/**
 * Publishes an app's outbox in id order. Woken by LISTEN/NOTIFY at commit, with a slow poll as a
 * fallback. One relay per schema publishes at a time (advisory lock), so order holds with several
 * instances; a row is deleted only after the broker acknowledged it, so a broker outage delays
 * events but loses none.
 */
export class OutboxRelay {
  private readonly logger = new Logger(OutboxRelay.name);
  private listener?: Client;
  private timer?: NodeJS.Timeout;
  private draining?: Promise<void>;
  private wakeAgain = false;
  private failuresInARow = 0;
  private stopped = true;

  constructor(
    private readonly dataSource: DataSource,
    private readonly transport: Transport,
    private readonly schema: string,
    private readonly databaseUrl: string,
    private readonly pollMs: number,
  ) {}

  async start(): Promise<void> {
    this.stopped = false;
    await this.listen();
    this.wake();
  }

  /** Stops listening and publishes what is already committed (graceful shutdown). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.listener?.end().catch(() => undefined);
    this.listener = undefined;
    await this.draining;
    await this.drainOnce().catch((err) =>
      this.logger.warn({ err }, 'final outbox flush failed; rows stay for the next start'),
    );
  }

  /** Runs a pass now (or right after the current one). */
  wake(): void {
    if (this.draining) {
      this.wakeAgain = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.draining = this.drainUntilEmpty().finally(() => {
      this.draining = undefined;
      if (this.stopped) return;
      if (this.wakeAgain) {
        this.wakeAgain = false;
        this.wake();
        return;
      }
      const backoff =
        this.failuresInARow === 0 ? this.pollMs : Math.min(100 * 2 ** this.failuresInARow, MAX_BACKOFF_MS);
      this.timer = setTimeout(() => this.wake(), backoff);
    });
  }

  /** Resolves when the outbox is empty (tests, shutdown). */
  async flush(): Promise<void> {
    await this.draining;
    while ((await this.drainOnce()) > 0);
  }

  private async drainUntilEmpty(): Promise<void> {
    try {
      // A batch short of full emptied the outbox; rows committed since then sent a NOTIFY, which
      // queued another pass (wakeAgain), so no extra empty pass is needed here.
      while (!this.stopped && (await this.drainOnce()) >= BATCH);
      this.failuresInARow = 0;
    } catch (err) {
      this.failuresInARow++;
      failures.inc({ schema: this.schema });
      if (this.failuresInARow === 1 || this.failuresInARow % 20 === 0) {
        this.logger.warn(
          { err, schema: this.schema, failuresInARow: this.failuresInARow },
          'outbox publish failed; will retry',
        );
      }
    }
  }

  /**
   * One batch in one transaction: lock, publish, delete. Returns the rows published. Each topic's
   * rows go in id order (so every key's), the topics side by side: an event and its copies on the
   * institutions' feeds interleave in the outbox, and sending them as runs one after the other cost
   * a broker round trip per row. When a topic's send fails, the topics that were acknowledged are
   * still deleted (committed), so the retry does not publish them a second time; the failure is
   * thrown after that commit.
   */
  private async drainOnce(): Promise<number> {
    let failure: unknown;
    const sent = await this.dataSource.transaction(async (manager: EntityManager) => {
      // Losing this delete in a crash only publishes the rows again (delivery is at least once and
      // consumers dedupe), so the commit need not wait for its WAL flush; the setting rides in the
      // lock's statement (it is harmless in a pass that does not get the lock and does nothing).
      const [{ locked }] = await manager.query(
        `SELECT pg_try_advisory_xact_lock($1) AS locked, set_config('synchronous_commit', 'off', true)`,
        [relayLockKey(this.schema)],
      );
      if (!locked) return 0;
      const rows = await manager.find(OutboxMessage, { order: { id: 'ASC' }, take: BATCH });
      backlog.set({ schema: this.schema }, rows.length);
      if (rows.length === 0) return 0;
      const byTopic = new Map<string, OutboxMessage[]>();
      for (const row of rows) byTopic.set(row.topic, [...(byTopic.get(row.topic) ?? []), row]);
      const topics = [...byTopic.entries()];
      const results = await Promise.allSettled(
        topics.map(([topic, list]) => this.transport.send(topic, list.map(toWire))),
      );
      const done = topics.filter((_, i) => results[i].status === 'fulfilled').flatMap(([, list]) => list);
      const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (refused) failure = refused.reason;
      if (done.length > 0)
        await manager.delete(
          OutboxMessage,
          done.map((r) => r.id),
        );
      published.inc({ schema: this.schema }, done.length);
      return done.length;
    });
    if (failure !== undefined) throw failure;
    return sent;
  }

  private async listen(): Promise<void> {
    const client = new Client({
      connectionString: this.databaseUrl,
      application_name: `countylink-relay-${this.schema}`,
    });
    client.on('notification', () => this.wake());
    client.on('error', (err) => {
      this.logger.warn({ err }, 'outbox LISTEN connection lost; polling until it is back');
      this.listener = undefined;
      if (!this.stopped) setTimeout(() => this.listen().catch(() => undefined), 1_000);
    });
    await client.connect();
    await client.query(`LISTEN ${outboxChannel(this.schema)}`);
    this.listener = client;
  }
}
