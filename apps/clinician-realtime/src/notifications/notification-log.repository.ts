import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { REALTIME_SCHEMA } from '../clinician-realtime.constants';
import { Scope } from '../rooms/rooms';
import { Cursor } from './notification-cursor';
import {
  frameOf,
  NotificationDataByType,
  NotificationFrame,
  NotificationSubject,
  NotificationType,
  RecordedNotification,
} from './notification-types';

/** What an event (or a timer) says should be told, to which rooms, in which order. */
export interface NotificationSpec<T extends NotificationType = NotificationType> {
  type: T;
  subject: NotificationSubject;
  data: NotificationDataByType[T];
  scopes: Scope[];
  at: Date;
  /**
   * For each `user:` room in `scopes`, the institution that person acts for in this event (the
   * referring doctor's, the requester's, the booker's). A person the directory knows in another
   * institution does not get it: a name an HIS sent cannot open another institution's door.
   */
  people?: Record<string, string>;
}

const T = (table: string) => `"${REALTIME_SCHEMA}"."${table}"`;
const NO_LIMIT = '9223372036854775807';

interface ReplayRow {
  scope: string;
  seq: string;
  id: string;
  type: NotificationType;
  subject_type: NotificationSubject['type'];
  subject_id: string;
  data: RecordedNotification['data'];
  at: Date;
}

/**
 * The notification log: every notification recorded once, with a gapless position in each room
 * it goes to. Positions come from a counter row per room, locked (UPDATE … RETURNING) in the
 * recording transaction in sorted room order, so two recorders never deadlock and, within a room,
 * seq order is commit order.
 */
@Injectable()
export class NotificationLog {
  async record<Ty extends NotificationType>(
    manager: EntityManager,
    spec: NotificationSpec<Ty>,
    eventId: string | null,
  ): Promise<RecordedNotification<Ty> | null> {
    const [recorded] = await this.recordAll(manager, [{ spec, eventId }]);
    return (recorded as RecordedNotification<Ty> | undefined) ?? null;
  }

  /**
   * Records several notifications in one round trip, in the given order: within each room their
   * seqs, and their ids, ascend in that order. Every room's counter row is locked in one
   * statement, in sorted room order, so two recorders never deadlock; the ids are taken only once
   * they are all locked. A notification with no room is not recorded.
   */
  async recordAll(
    manager: EntityManager,
    items: ReadonlyArray<{ spec: NotificationSpec; eventId: string | null }>,
  ): Promise<RecordedNotification[]> {
    const kept = items
      .map(({ spec, eventId }) => ({ spec, eventId, scopes: [...new Set(spec.scopes)] }))
      .filter((item) => item.scopes.length > 0);
    if (kept.length === 0) return [];
    const deliveries = kept.flatMap((item, i) => item.scopes.map((scope, rank) => ({ item: i + 1, scope, rank })));
    const rows: Array<{ item: number; id: string; scope: string; seq: string }> = await manager.query(
      `WITH d_in AS (
         SELECT * FROM unnest($1::int[], $2::text[], $3::int[]) AS t(item, scope, rank)
       ), counters AS (
         INSERT INTO ${T('notification_stream')} (scope, last_seq)
         SELECT scope, count(*) FROM d_in GROUP BY scope ORDER BY scope
         ON CONFLICT (scope) DO UPDATE SET last_seq = ${T('notification_stream')}.last_seq + EXCLUDED.last_seq
         RETURNING scope, last_seq
       ), n_in AS (
         SELECT x.item::int AS item, nextval(pg_get_serial_sequence('${T('notification')}', 'id')) AS id,
                x.type, x.subject_type, x.subject_id, x.event_id, x.data::jsonb AS data, x.at
         FROM (SELECT count(*) FROM counters) AS locked,
              unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::timestamptz[])
                WITH ORDINALITY AS x(type, subject_type, subject_id, event_id, data, at, item)
         ORDER BY x.item
       ), n AS (
         INSERT INTO ${T('notification')} (id, type, subject_type, subject_id, event_id, data, at)
         SELECT id, type, subject_type, subject_id, event_id, data, at FROM n_in ORDER BY item
       ), seqs AS (
         SELECT d.item, d.scope, d.rank,
                c.last_seq - count(*) OVER (PARTITION BY d.scope)
                  + row_number() OVER (PARTITION BY d.scope ORDER BY d.item) AS seq
         FROM d_in d JOIN counters c ON c.scope = d.scope
       ), d AS (
         INSERT INTO ${T('notification_delivery')} (scope, seq, notification_id, rank)
         SELECT s.scope, s.seq, n_in.id, s.rank FROM seqs s JOIN n_in ON n_in.item = s.item
       )
       SELECT s.item, n_in.id, s.scope, s.seq FROM seqs s JOIN n_in ON n_in.item = s.item`,
      [
        deliveries.map((d) => d.item),
        deliveries.map((d) => d.scope),
        deliveries.map((d) => d.rank),
        kept.map(({ spec }) => spec.type),
        kept.map(({ spec }) => spec.subject.type),
        kept.map(({ spec }) => spec.subject.id),
        kept.map(({ eventId }) => eventId),
        kept.map(({ spec }) => JSON.stringify(spec.data)),
        kept.map(({ spec }) => spec.at),
      ],
    );
    const idOf = new Map<number, string>();
    const seqOf = new Map<string, number>();
    for (const r of rows) {
      idOf.set(Number(r.item), String(r.id));
      seqOf.set(`${r.item} ${r.scope}`, Number(r.seq));
    }
    return kept.map(({ spec, scopes }, i) => ({
      id: idOf.get(i + 1)!,
      type: spec.type,
      at: spec.at.toISOString(),
      subject: spec.subject,
      data: spec.data,
      deliveries: scopes.map((scope) => ({ scope, seq: seqOf.get(`${i + 1} ${scope}`)! })),
    })) as RecordedNotification[];
  }

  /** The last seq of each room (0 for a room nothing was sent to yet). */
  async heads(manager: EntityManager, scopes: readonly Scope[]): Promise<Cursor> {
    const rows: Array<{ scope: string; last_seq: string }> = await manager.query(
      `SELECT scope, last_seq FROM ${T('notification_stream')} WHERE scope = ANY($1::text[])`,
      [scopes],
    );
    const heads = Object.fromEntries(scopes.map((s) => [s, 0]));
    for (const row of rows) heads[row.scope] = Number(row.last_seq);
    return heads;
  }

  /**
   * What a client in `scopes` has not seen after `after` (up to `until`), oldest first, at most
   * `limit`. A notification that went to several of the client's rooms is counted in the first of
   * them (its rank order) — the room it was pushed through live — so it comes once.
   */
  async missed(
    manager: EntityManager,
    scopes: readonly Scope[],
    after: Cursor,
    limit: number,
    until?: Cursor,
  ): Promise<{ frames: NotificationFrame[]; more: boolean }> {
    const rows: ReplayRow[] = await manager.query(
      `SELECT d.scope, d.seq, n.id, n.type, n.subject_type, n.subject_id, n.data, n.at
       FROM unnest($1::text[], $2::bigint[], $3::bigint[]) AS c(scope, after_seq, until_seq)
       CROSS JOIN LATERAL (
         SELECT d.scope, d.seq, d.notification_id FROM ${T('notification_delivery')} d
         WHERE d.scope = c.scope AND d.seq > c.after_seq AND d.seq <= c.until_seq
           AND NOT EXISTS (
             SELECT 1 FROM ${T('notification_delivery')} e
             WHERE e.notification_id = d.notification_id AND e.rank < d.rank AND e.scope = ANY($1::text[]))
         ORDER BY d.seq LIMIT $4
       ) d
       JOIN ${T('notification')} n ON n.id = d.notification_id
       ORDER BY n.id LIMIT $4`,
      [scopes, scopes.map((s) => after[s] ?? 0), scopes.map((s) => (until?.[s] ?? NO_LIMIT).toString()), limit + 1],
    );
    const frames = rows.slice(0, limit).map((r) =>
      frameOf(
        {
          id: String(r.id),
          type: r.type,
          at: new Date(r.at).toISOString(),
          subject: { type: r.subject_type, id: r.subject_id },
          data: r.data,
          deliveries: [],
        },
        { scope: r.scope, seq: Number(r.seq) },
        true,
      ),
    );
    return { frames, more: rows.length > limit };
  }
}

/** The cursor after a page of frames. */
export function advance(cursor: Cursor, frames: readonly NotificationFrame[]): Cursor {
  const next = { ...cursor };
  for (const f of frames) next[f.scope] = Math.max(next[f.scope] ?? 0, f.seq);
  return next;
}
