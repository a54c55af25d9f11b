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
    const scopes = [...new Set(spec.scopes)];
    if (scopes.length === 0) return null;
    // One round trip. The notification row is inserted from the counters' result, so its id is
    // taken only once every counter row is locked.
    const rows: Array<{ id: string; scope: string; seq: string }> = await manager.query(
      `WITH counters AS (
         INSERT INTO ${T('notification_stream')} (scope, last_seq)
         SELECT s, 1 FROM unnest($1::text[]) WITH ORDINALITY AS t(s, i) ORDER BY i
         ON CONFLICT (scope) DO UPDATE SET last_seq = ${T('notification_stream')}.last_seq + 1
         RETURNING scope, last_seq
       ), n AS (
         INSERT INTO ${T('notification')} (type, subject_type, subject_id, event_id, data, at)
         SELECT $3, $4, $5, $6, $7::jsonb, $8 FROM (SELECT count(*) FROM counters) AS locked
         RETURNING id
       ), d AS (
         INSERT INTO ${T('notification_delivery')} (scope, seq, notification_id, rank)
         SELECT c.scope, c.last_seq, n.id, r.rank - 1 FROM counters c CROSS JOIN n
         JOIN unnest($2::text[]) WITH ORDINALITY AS r(scope, rank) ON r.scope = c.scope
       )
       SELECT n.id, c.scope, c.last_seq AS seq FROM n CROSS JOIN counters c`,
      [
        [...scopes].sort(),
        scopes,
        spec.type,
        spec.subject.type,
        spec.subject.id,
        eventId,
        JSON.stringify(spec.data),
        spec.at,
      ],
    );
    const seqOf = new Map(rows.map((r) => [r.scope, Number(r.seq)]));
    const deliveries = scopes.map((scope) => ({ scope, seq: seqOf.get(scope)! }));
    return {
      id: String(rows[0].id),
      type: spec.type,
      at: spec.at.toISOString(),
      subject: spec.subject,
      data: spec.data,
      deliveries,
    };
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
