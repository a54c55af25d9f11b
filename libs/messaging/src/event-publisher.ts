import { randomUUID } from 'node:crypto';
import { create, MessageInitShape, toBinary } from '@bufbuild/protobuf';
import { EntityManager } from 'typeorm';
import { EventCatalog, EventType } from '@countylink/contracts';
import { OutboxMessage } from './outbox-message.entity';

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
  constructor(
    private readonly schema: string,
    private readonly source: string,
  ) {}

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
    await manager.insert(OutboxMessage, rows);
    await manager.query('SELECT pg_notify($1, $2)', [outboxChannel(this.schema), '']);
    return rows.map((r) => r.eventId);
  }
}
