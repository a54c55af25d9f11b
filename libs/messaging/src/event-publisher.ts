import { randomUUID } from 'node:crypto';
import { create, MessageInitShape, toBinary } from '@bufbuild/protobuf';
import { EntityManager } from 'typeorm';
import { EventCatalog, EventType } from '@countylink/contracts';

export function outboxChannel(schema: string): string {
  return `countylink_outbox_${schema.replace(/\W/g, '_')}`;
}

type InitOf<T extends EventType> = MessageInitShape<(typeof EventCatalog)[T]['schema']>;

/** One event to publish, as `publishAll` takes them. */
export type PendingEvent = {
  [T in EventType]: { type: T; key: string; payload: InitOf<T>; subject?: string; occurredAt?: Date };
}[EventType];

/**
 * The only way an app emits an event: it goes into the app's outbox inside the caller's
 * transaction, and a NOTIFY (delivered at commit) wakes the relay.
 */
export class EventPublisher {
  private readonly insertAndNotify: string;

  constructor(
    private readonly schema: string,
    private readonly source: string,
  ) {
    this.insertAndNotify = `WITH inserted AS (
        INSERT INTO "${schema}"."outbox_message" (event_id, type, topic, key, subject, source, occurred_at, payload)
        SELECT e, ty, tp, k, su, so, oc, p
        FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::bytea[])
          WITH ORDINALITY AS u(e, ty, tp, k, su, so, oc, p, n)
        ORDER BY n
        RETURNING 1)
      SELECT pg_notify($9, '') FROM (SELECT count(*) FROM inserted) AS done`;
  }

  async publish<T extends EventType>(
    manager: EntityManager,
    type: T,
    key: string,
    payload: InitOf<T>,
    options: { subject?: string; occurredAt?: Date } = {},
  ): Promise<string> {
    const [eventId] = await this.publishAll(manager, [{ type, key, payload, ...options } as PendingEvent]);
    return eventId;
  }

  /**
   * Several events of one change in one statement and one NOTIFY (a busy write path pays one round
   * trip, not two per event); they keep their order in the outbox.
   */
  async publishAll(manager: EntityManager, events: PendingEvent[]): Promise<string[]> {
    if (events.length === 0) return [];
    const rows = events.map((event) => {
      const entry = EventCatalog[event.type];
      // The catalog pairs each type with its schema; TypeScript cannot follow the pairing through the union.
      const schema = entry.schema as (typeof EventCatalog)[EventType]['schema'];
      return {
        eventId: randomUUID(),
        type: event.type,
        topic: entry.topic,
        key: event.key,
        subject: event.subject ?? null,
        source: this.source,
        occurredAt: event.occurredAt ?? new Date(),
        payload: Buffer.from(toBinary(schema, create(schema, event.payload as never))),
      };
    });
    // One statement: the rows (in the given order, so their ids keep it) and the NOTIFY that wakes the relay at commit.
    await manager.query(this.insertAndNotify, [
      rows.map((r) => r.eventId), rows.map((r) => r.type), rows.map((r) => r.topic), rows.map((r) => r.key), rows.map((r) => r.subject),
      rows.map((r) => r.source), rows.map((r) => r.occurredAt), rows.map((r) => r.payload), outboxChannel(this.schema),
    ]);
    return rows.map((r) => r.eventId);
  }
}
