import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { fromRaw } from '../schedules/raw-row';
import { SCHEDULING_SCHEMA } from '../specialist-slots.constants';
import { WaitlistEntry } from './waitlist-entry.entity';

/**
 * The first waiting referral that can still take the place: its referral is open and its patient
 * holds no place in the schedule yet. Others keep waiting (they lapse at the release).
 */
const FIRST_WAITING = `
  SELECT w.id FROM "${SCHEDULING_SCHEMA}"."waitlist_entry" w
  JOIN "${SCHEDULING_SCHEMA}"."referral_snapshot" r ON r.id = w.referral_id
  WHERE w.schedule_id = $1 AND w.status = 'waiting' AND r.status IN ('requested', 'received', 'accepted', 'arrived')
    AND NOT EXISTS (SELECT 1 FROM "${SCHEDULING_SCHEMA}"."appointment" a WHERE a.schedule_id = w.schedule_id
      AND a.patient_institution_id = w.institution_id AND a.patient_id = r.patient_id AND a.status <> 'cancelled')
  ORDER BY w.created_at, w.id LIMIT 1 FOR UPDATE OF w`;

const OFFER = `UPDATE "${SCHEDULING_SCHEMA}"."waitlist_entry" SET status = 'offered', appointment_id = $2, changed_at = $3 WHERE id = $1 RETURNING *`;

const LAPSE_WAITING = `UPDATE "${SCHEDULING_SCHEMA}"."waitlist_entry" SET status = 'lapsed', changed_at = $2
  WHERE schedule_id = $1 AND status = 'waiting'`;

/** The SQL of `waitlist_entry` rows; every method runs inside the caller's transaction. */
@Injectable()
export class WaitlistRepository {
  /** The id of the first entry that can take a freed place, locked (FOR UPDATE); null when none can. */
  async firstWaitingId(manager: EntityManager, scheduleId: string): Promise<string | null> {
    const rows = (await manager.query(FIRST_WAITING, [scheduleId])) as Array<{ id: string }>;
    return rows.length === 0 ? null : rows[0].id;
  }

  /** Marks an entry offered the appointment booked for it. */
  async markOffered(manager: EntityManager, entryId: string, appointmentId: string, now: Date): Promise<WaitlistEntry> {
    const [rows] = (await manager.query(OFFER, [entryId, appointmentId, now])) as [
      Array<Record<string, unknown>>,
      number,
    ];
    return fromRaw(manager, WaitlistEntry, rows[0]);
  }

  /** Lapses every entry still waiting for the schedule; how many lapsed. */
  async lapseWaiting(manager: EntityManager, scheduleId: string, now: Date): Promise<number> {
    const [, lapsed] = (await manager.query(LAPSE_WAITING, [scheduleId, now])) as [unknown, number];
    return lapsed;
  }
}
