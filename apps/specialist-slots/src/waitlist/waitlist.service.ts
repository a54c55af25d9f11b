import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Principal } from '@countylink/auth';
import { EventPublisher } from '@countylink/messaging';
import { DomainException } from '@countylink/platform';
import { reservedRefusal } from '../appointments/booking-rules';
import { refusalException } from '../appointments/referral-refusal';
import { ReferralSnapshot } from '../referrals/referral-snapshot.entity';
import { SchedulingErrorCode } from '../scheduling.exception';
import { uniqueViolation } from '../schedules/raw-row';
import { availability, poolState } from '../schedules/reserved-pool';
import { Schedule } from '../schedules/schedule.entity';
import { scheduleMessage, waitlistEntryMessage } from '../schedules/scheduling-event.mapper';
import { SCHEDULING_DATA_SOURCE } from '../specialist-slots.constants';
import { WaitlistEntry } from './waitlist-entry.entity';

@Injectable()
export class WaitlistService {
  constructor(
    @InjectDataSource(SCHEDULING_DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
  ) {}

  /** Same rules as a reserved booking; only when the reserved pool is full and not yet released. */
  async join(principal: Principal, scheduleId: string, referralId: string) {
    return this.dataSource.transaction(async (manager) => {
      const schedule = await manager.findOneBy(Schedule, { id: scheduleId });
      if (!schedule) throw new DomainException(SchedulingErrorCode.SCHEDULE_NOT_FOUND, `No schedule ${scheduleId}`);
      const referral = await manager.findOneBy(ReferralSnapshot, { id: referralId });
      const refusal = reservedRefusal(principal, referralId, referral, schedule);
      if (refusal) throw refusalException(refusal);
      const state = poolState('reserved', schedule, new Date());
      if (state === 'started' || state === 'released') {
        throw new DomainException(
          state === 'started' ? SchedulingErrorCode.SESSION_STARTED : SchedulingErrorCode.RESERVE_RELEASED,
          'Reserved places of this schedule are no longer handed out',
        );
      }
      if (availability(schedule).reserved.available > 0) {
        throw new DomainException(
          SchedulingErrorCode.RESERVED_PLACES_FREE,
          'Reserved places are free: book one instead of waiting',
        );
      }
      const now = new Date();
      const entry: WaitlistEntry = {
        id: randomUUID(),
        scheduleId,
        referralId,
        institutionId: principal.institutionId,
        requestedBySubject: principal.sub,
        requestedByRoles: principal.roles,
        requestedByDepartmentId: principal.departmentId ?? null,
        status: 'waiting',
        appointmentId: null,
        createdAt: now,
        changedAt: now,
      };
      try {
        await manager.insert(WaitlistEntry, entry);
      } catch (err) {
        if (uniqueViolation(err) === 'uq_waitlist_referral_waiting') {
          throw new DomainException(
            SchedulingErrorCode.ALREADY_WAITING,
            'This referral already waits for this schedule',
          );
        }
        throw err;
      }
      const position = await manager.countBy(WaitlistEntry, { scheduleId, status: 'waiting' });
      await this.events.publish(
        manager,
        'countylink.scheduling.waitlist-joined.v1',
        scheduleId,
        {
          schedule: scheduleMessage(schedule),
          entry: waitlistEntryMessage(entry),
          position,
        },
        { subject: `waitlist/${entry.id}`, occurredAt: now },
      );
      return { id: entry.id, scheduleId, referralId, status: entry.status, position, createdAt: now.toISOString() };
    });
  }
}
