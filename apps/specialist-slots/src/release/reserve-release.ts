import { Injectable, Logger } from '@nestjs/common';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { EntityManager } from 'typeorm';
import { EventPublisher } from '@countylink/messaging';
import { JobOutcome, ScheduledJob } from '@countylink/persistence';
import { fromRaw } from '../schedules/raw-row';
import { Schedule } from '../schedules/schedule.entity';
import { scheduleMessage } from '../schedules/scheduling-event.mapper';
import { SCHEDULING_SCHEMA } from '../specialist-slots.constants';

/** Only booked reserved places stay reserved; the flag makes a second run (or a second job) change nothing. */
const RELEASE = `UPDATE "${SCHEDULING_SCHEMA}"."schedule"
  SET released_unused = reserved_capacity - reserved_booked, reserved_capacity = reserved_booked, reserve_released = true,
      version = version + 1, updated_at = $2
  WHERE id = $1 AND NOT reserve_released RETURNING *`;

const LAPSE_WAITLIST = `UPDATE "${SCHEDULING_SCHEMA}"."waitlist_entry" SET status = 'lapsed', changed_at = $2
  WHERE schedule_id = $1 AND status = 'waiting'`;

/**
 * The release of a schedule's unbooked reserve to the general pool at its release time. It runs as
 * a durable job (a row picked with SKIP LOCKED and deleted in the same transaction as the release),
 * so it happens once with several instances, and late rather than never after downtime.
 */
@Injectable()
export class ReserveRelease {
  private readonly logger = new Logger(ReserveRelease.name);

  constructor(private readonly events: EventPublisher) {}

  readonly onDue = async (job: ScheduledJob, manager: EntityManager): Promise<JobOutcome> => {
    const now = new Date();
    const [rows] = (await manager.query(RELEASE, [job.aggregateId, now])) as [Array<Record<string, unknown>>, number];
    if (rows.length === 0) return 'done';
    const schedule = fromRaw(manager, Schedule, rows[0]);
    const [, lapsed] = (await manager.query(LAPSE_WAITLIST, [schedule.id, now])) as [unknown, number];
    await this.events.publish(manager, 'countylink.scheduling.reserve-released.v1', schedule.id, {
      schedule: scheduleMessage(schedule), released: schedule.releasedUnused, waitlistLapsed: lapsed, releasedAt: timestampFromDate(now),
    }, { subject: `schedule/${schedule.id}`, occurredAt: now });
    this.logger.log({ scheduleId: schedule.id, released: schedule.releasedUnused, lateByMs: now.getTime() - job.dueAt.getTime() }, 'reserve released');
    return 'done';
  };
}
