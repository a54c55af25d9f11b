import { Injectable, Logger } from '@nestjs/common';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { EntityManager } from 'typeorm';
import { EventPublisher } from '@countylink/messaging';
import { JobOutcome, ScheduledJob } from '@countylink/persistence';
import { ScheduleRepository } from '../schedules/schedule.repository';
import { scheduleMessage } from '../schedules/scheduling-event.mapper';
import { WaitlistRepository } from '../waitlist/waitlist.repository';

/**
 * The release of a schedule's unbooked reserve to the general pool at its release time. It runs as
 * a durable job (a row picked with SKIP LOCKED and deleted in the same transaction as the release),
 * so it happens once with several instances, and late rather than never after downtime.
 */
@Injectable()
export class ReserveRelease {
  private readonly logger = new Logger(ReserveRelease.name);

  constructor(
    private readonly events: EventPublisher,
    private readonly schedules: ScheduleRepository,
    private readonly waitlist: WaitlistRepository,
  ) {}

  readonly onDue = async (job: ScheduledJob, manager: EntityManager): Promise<JobOutcome> => {
    const now = new Date();
    const schedule = await this.schedules.releaseReserve(manager, job.aggregateId, now);
    if (!schedule) return 'done';
    const lapsed = await this.waitlist.lapseWaiting(manager, schedule.id, now);
    await this.events.publish(
      manager,
      'countylink.scheduling.reserve-released.v1',
      schedule.id,
      {
        schedule: scheduleMessage(schedule),
        released: schedule.releasedUnused,
        waitlistLapsed: lapsed,
        releasedAt: timestampFromDate(now),
      },
      { subject: `schedule/${schedule.id}`, occurredAt: now },
    );
    this.logger.log(
      { scheduleId: schedule.id, released: schedule.releasedUnused, lateByMs: now.getTime() - job.dueAt.getTime() },
      'reserve released',
    );
    return 'done';
  };
}
