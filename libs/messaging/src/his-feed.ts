import { EntityManager } from 'typeorm';
import { EventCatalog, EventPayload, EventType, isHisTopicFamily } from '@countylink/contracts';
import { HisInstitutions } from './his-institutions';
import type { OutboxRow } from './outbox-message.entity';

/** One event as it is being published, its payload already a message (defaults filled in). */
export type FeedEvent = { [T in EventType]: { type: T; key: string; payload: EventPayload<T> } }[EventType];

/**
 * The institutions that may see an event by the same rules as the app's HTTP API (the sender and
 * receiver of a referral, the requester, reader and 结果互认 sharers of a read, the booker and the
 * provider of an appointment). Runs inside the publishing transaction, so it may look at the
 * app's own tables. Empty, undefined and unknown ids are skipped.
 */
export type FeedAudience = (
  manager: EntityManager,
  event: FeedEvent,
) => Promise<Iterable<string | undefined>> | Iterable<string | undefined>;

/**
 * The feed copies of `events`: for each institution of its audience that has a feed, the same row
 * on that feed's topic. Grouped by feed after the originals, each feed's copies in publishing order
 * (so every topic keeps the outbox's order per key) — and the relay sends a feed's copies in one batch.
 * Commands and results are not copied: a result is already on its one feed.
 */
export async function hisFeedCopies(
  manager: EntityManager,
  audience: FeedAudience,
  institutions: HisInstitutions,
  events: Array<{ message: EventPayload<EventType>; row: OutboxRow }>,
): Promise<OutboxRow[]> {
  const byFeed = new Map<string, OutboxRow[]>();
  for (const { message, row } of events) {
    const type = row.type as EventType;
    if (isHisTopicFamily(EventCatalog[type].topic)) continue;
    const ids = new Set(await audience(manager, { type, key: row.key, payload: message } as FeedEvent));
    for (const id of ids) {
      if (!id || !institutions.has(id)) continue;
      const topic = institutions.feedTopic(id);
      byFeed.set(topic, [...(byFeed.get(topic) ?? []), { ...row, topic }]);
    }
  }
  return [...byFeed.values()].flat();
}
