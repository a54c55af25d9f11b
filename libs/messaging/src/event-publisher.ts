import { randomUUID } from 'node:crypto';
import { create, MessageInitShape, toBinary } from '@bufbuild/protobuf';
import { EntityManager, EntityMetadata } from 'typeorm';
import { EventCatalog, EventPayload, EventType, HisTopics } from '@countylink/contracts';
import { quotedTablePath } from '@countylink/persistence';
import { FeedAudience, hisFeedCopies } from './his-feed';
import { HisInstitutions } from './his-institutions';
import { OutboxMessage, OutboxRow } from './outbox-message.entity';

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
 * transaction, and a NOTIFY (delivered at commit) wakes the relay. With an app's feed audience and
 * HIS topics on the cluster, each event is also copied — same id, headers and bytes — to the feed of
 * every institution that may see it, in the same transaction: a feed gets every event it should,
 * once each (the relay's redelivery aside, which HIS systems dedupe on ce_id like any consumer).
 */
export class EventPublisher {
  constructor(
    private readonly schema: string,
    private readonly source: string,
    private readonly institutions: HisInstitutions = new HisInstitutions(new Set()),
    private readonly audience?: FeedAudience,
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
   * trip, not two per event); they keep their order in the outbox, and so does each feed's copies.
   */
  async publishAll(manager: EntityManager, events: PendingEvent[]): Promise<string[]> {
    if (events.length === 0) return [];
    const rows = events.map((event) => {
      const entry = EventCatalog[event.type];
      // The catalog pairs each type with its schema; TypeScript cannot follow the pairing through the union.
      const schema = entry.schema as (typeof EventCatalog)[EventType]['schema'];
      const message = create(schema, event.payload as never) as EventPayload<EventType>;
      return {
        message,
        row: {
          eventId: randomUUID(),
          type: event.type,
          // An HIS result goes to the feed of the institution it is keyed by, the one that sent the command.
          topic: entry.topic === HisTopics.feed ? this.institutions.feedTopic(event.key) : entry.topic,
          key: event.key,
          subject: event.subject ?? null,
          source: this.source,
          occurredAt: event.occurredAt ?? new Date(),
          payload: Buffer.from(toBinary(schema, message as never)),
        },
      };
    });
    const copies =
      this.audience && this.institutions.ids.size > 0
        ? await hisFeedCopies(manager, this.audience, this.institutions, rows)
        : [];
    await insertAndNotify(manager, [...rows.map((r) => r.row), ...copies], outboxChannel(this.schema));
    return rows.map((r) => r.row.eventId);
  }
}

const OUTBOX_COLUMNS = ['eventId', 'type', 'topic', 'key', 'subject', 'source', 'occurredAt', 'payload'] as const;

/** `INSERT INTO <outbox> (<columns>)`, worked out once per data source from the entity's metadata. */
const insertHeads = new WeakMap<EntityMetadata, string>();

function insertHead(metadata: EntityMetadata): string {
  let head = insertHeads.get(metadata);
  if (!head) {
    const columns = OUTBOX_COLUMNS.map((c) => `"${metadata.findColumnWithPropertyName(c)!.databaseName}"`);
    head = `INSERT INTO ${quotedTablePath(metadata)} (${columns.join(', ')})`;
    insertHeads.set(metadata, head);
  }
  return head;
}

/**
 * The rows and the NOTIFY that wakes the relay in one statement: one round trip on every write
 * path instead of two (the notification is delivered at commit either way).
 */
async function insertAndNotify(manager: EntityManager, rows: OutboxRow[], channel: string): Promise<void> {
  const params: unknown[] = [];
  const tuples = rows.map((row) => {
    const first = params.length;
    params.push(...OUTBOX_COLUMNS.map((c) => row[c]));
    return `(${OUTBOX_COLUMNS.map((_, i) => `$${first + i + 1}`).join(', ')})`;
  });
  params.push(channel);
  await manager.query(
    `WITH stored AS (${insertHead(manager.connection.getMetadata(OutboxMessage))} VALUES ${tuples.join(', ')}) SELECT pg_notify($${params.length}, '')`,
    params,
  );
}
