import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Principal, Role } from '@countylink/auth';
import { DomainException } from '@countylink/platform';
import { SchedulingErrorCode } from '../scheduling.exception';
import { SpecialistSlotsConfig } from '../specialist-slots.config';
import { ScheduleService } from './schedule.service';
import { expandScheduleSeed, readScheduleSeed, ScheduleSeed } from './schedule-seed';

/**
 * With SCHEDULE_SEED_FILE set, publishes the coming days' schedules at every start. Already
 * published ones (same externalId) are left as they are and emit nothing.
 */
@Injectable()
export class ScheduleSeeder implements OnModuleInit {
  private readonly logger = new Logger(ScheduleSeeder.name);

  constructor(
    private readonly config: SpecialistSlotsConfig,
    private readonly schedules: ScheduleService,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.config.SCHEDULE_SEED_FILE) await this.load(readScheduleSeed(this.config.SCHEDULE_SEED_FILE));
  }

  async load(seed: ScheduleSeed, now = new Date()): Promise<{ published: number; unchanged: number }> {
    const publisher: Principal = { sub: 'schedule-seed', roles: [Role.GroupAdmin], institutionId: seed.institutionId };
    let published = 0;
    let unchanged = 0;
    for (const dto of expandScheduleSeed(seed, now)) {
      try {
        const result = await this.schedules.publish(publisher, dto, now);
        if (result.status === 201) published++;
        else unchanged++;
      } catch (err) {
        if (!(err instanceof DomainException && err.code === SchedulingErrorCode.SCHEDULE_EXISTS)) throw err;
        this.logger.warn(`schedule ${dto.externalId} was published with other content; left as it is`);
        unchanged++;
      }
    }
    this.logger.log(`schedule seed: ${published} schedules published, ${unchanged} already there`);
    return { published, unchanged };
  }
}
