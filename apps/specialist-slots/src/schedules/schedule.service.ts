import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { hasAnyRole, Principal, Role } from '@countylink/auth';
import { actorMessage, EventPublisher } from '@countylink/messaging';
import { scheduleJob } from '@countylink/persistence';
import { DomainException } from '@countylink/platform';
import { SchedulingErrorCode } from '../scheduling.exception';
import { SpecialistSlotsConfig } from '../specialist-slots.config';
import { SCHEDULING_DATA_SOURCE } from '../specialist-slots.constants';
import { CreateScheduleDto } from './dtos/create-schedule.dto';
import { ListSchedulesQuery } from './dtos/list-schedules.query';
import { BookingPolicy, bookingWindows, meetsFloor, PoolName, reservedCount } from './reserved-pool';
import { Schedule } from './schedule.entity';
import { ScheduleRepository } from './schedule.repository';
import { scheduleShapeProblem } from './schedule-shape';
import { scheduleMessage } from './scheduling-event.mapper';
import { scheduleView, ScheduleView } from './schedule.view';

export const RELEASE_RESERVE_JOB = 'scheduling.release-reserve';

/** The fields a republication with the same externalId must repeat to count as the same schedule. */
const IDENTITY_FIELDS = ['kind', 'departmentId', 'practitionerId', 'modality', 'capacity', 'reservedShare'] as const;

@Injectable()
export class ScheduleService {
  readonly policy: BookingPolicy;

  constructor(
    @InjectDataSource(SCHEDULING_DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
    private readonly config: SpecialistSlotsConfig,
    private readonly rows: ScheduleRepository,
  ) {
    this.policy = {
      generalOpensDays: config.SCHEDULING_GENERAL_OPENS_DAYS,
      reservedEarlierDays: config.SCHEDULING_RESERVED_EARLIER_DAYS,
      releaseLeadMinutes: config.SCHEDULING_RELEASE_LEAD_MINUTES,
    };
  }

  /**
   * Publishes a schedule with its pools and its release job. Publishing the same externalId again
   * answers the existing schedule (200) and emits nothing; with other content it is a 409.
   */
  publish(
    principal: Principal,
    dto: CreateScheduleDto,
    now = new Date(),
  ): Promise<{ status: number; body: ScheduleView }> {
    return this.dataSource.transaction((manager) => this.publishWithin(manager, principal, dto, now));
  }

  /** Publishes inside the caller's transaction (HTTP, HIS command). */
  async publishWithin(
    manager: EntityManager,
    principal: Principal,
    dto: CreateScheduleDto,
    now = new Date(),
  ): Promise<{ status: number; body: ScheduleView }> {
    const institutionId = dto.institutionId ?? principal.institutionId;
    if (institutionId !== principal.institutionId && !hasAnyRole(principal, [Role.GroupAdmin])) {
      throw new DomainException(
        SchedulingErrorCode.NOT_ALLOWED,
        'Only the group administration publishes schedules of another institution',
      );
    }
    const floor = this.config.SCHEDULING_RESERVED_SHARE_FLOOR;
    const share = dto.reservedShare ?? floor;
    if (!meetsFloor(share, floor)) {
      throw new DomainException(
        SchedulingErrorCode.RESERVED_SHARE_BELOW_FLOOR,
        `The reserved share ${share} is below the group's policy floor ${floor}: at least ${floor * 100}% of places are kept for family-doctor referrals`,
        { reservedShare: share, floor },
      );
    }
    const startsAt = new Date(dto.startsAt);
    const endsAt = new Date(dto.endsAt);
    const problem = scheduleShapeProblem({ ...dto, startsAt, endsAt }, now);
    if (problem) throw new DomainException(SchedulingErrorCode.SCHEDULE_INVALID, problem);
    const reserved = reservedCount(dto.capacity, share);
    const row: Schedule = {
      id: randomUUID(),
      kind: dto.kind,
      institutionId,
      departmentId: dto.departmentId,
      practitionerId: dto.practitionerId ?? null,
      modality: dto.modality ?? null,
      startsAt,
      endsAt,
      capacity: dto.capacity,
      reservedShare: share,
      reservedAtPublication: reserved,
      reservedCapacity: reserved,
      reservedBooked: 0,
      generalBooked: 0,
      reserveReleased: false,
      releasedUnused: 0,
      ...bookingWindows(startsAt, this.policy),
      externalId: dto.externalId ?? null,
      publishedBy: principal.sub,
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    if (!(await this.rows.insertUnlessPublished(manager, row)))
      return { status: 200, body: scheduleView(await this.samePublication(manager, row), now) };
    await this.events.publish(
      manager,
      'countylink.scheduling.schedule-published.v1',
      row.id,
      { schedule: scheduleMessage(row), actor: actorMessage(principal) },
      { subject: `schedule/${row.id}`, occurredAt: now },
    );
    await scheduleJob(manager, RELEASE_RESERVE_JOB, row.id, row.releaseAt);
    return { status: 201, body: scheduleView(row, now) };
  }

  private async samePublication(manager: EntityManager, row: Schedule): Promise<Schedule> {
    const existing = await manager.findOneByOrFail(Schedule, {
      institutionId: row.institutionId,
      externalId: row.externalId!,
    });
    const same =
      IDENTITY_FIELDS.every((f) => isDeepStrictEqual(existing[f], row[f])) &&
      existing.startsAt.getTime() === row.startsAt.getTime() &&
      existing.endsAt.getTime() === row.endsAt.getTime();
    if (!same) {
      throw new DomainException(
        SchedulingErrorCode.SCHEDULE_EXISTS,
        `Schedule ${row.externalId} was already published with other content`,
        { scheduleId: existing.id },
      );
    }
    return existing;
  }

  async get(id: string): Promise<ScheduleView> {
    const s = await this.dataSource.manager.findOneBy(Schedule, { id });
    if (!s) throw new DomainException(SchedulingErrorCode.SCHEDULE_NOT_FOUND, `No schedule ${id}`);
    return scheduleView(s);
  }

  async list(query: ListSchedulesQuery, defaultFrom?: Date): Promise<{ items: ScheduleView[] }> {
    const rows = await this.rows.list(query, defaultFrom);
    const now = new Date();
    return { items: rows.map((s) => scheduleView(s, now)) };
  }

  /** The next sessions of the same department (and kind, and modality) that still have places for `pool`. */
  async alternatives(schedule: Schedule, pool: PoolName, limit = 5): Promise<ScheduleView[]> {
    const rows = await this.rows.alternatives(schedule, pool, limit);
    return rows.map((s) => scheduleView(s));
  }
}
