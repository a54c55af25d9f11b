import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { DataSource, EntityManager } from 'typeorm';
import { EventPublisher } from '@countylink/messaging';
import { JobOutcome, ScheduledJob } from '@countylink/persistence';
import { ReferralRegistryConfig } from '../referral-registry.config';
import { REFERRAL_DATA_SOURCE } from '../referral-registry.constants';
import { Referral } from './referral.entity';
import { SYSTEM_HISTORY_ACTOR, writeHistory } from './referral-history.writer';
import { referralMessage, STATUS_PROTO } from './referral-event.mapper';
import { escalationTarget } from './referral-rules';
import { isAwaitingAnswer } from './referral-state-machine';

/**
 * The SLA of a referral: when the receiving side has not decided by the deadline, escalate one step
 * up the ladder (an event and a history entry) and check again later, up to the top of the ladder.
 * It runs as a durable job, so a restart neither loses nor repeats a step.
 */
@Injectable()
export class ReferralEscalation {
  private readonly logger = new Logger(ReferralEscalation.name);

  constructor(
    @InjectDataSource(REFERRAL_DATA_SOURCE) readonly dataSource: DataSource,
    private readonly events: EventPublisher,
    private readonly config: ReferralRegistryConfig,
  ) {}

  readonly onDue = async (job: ScheduledJob, manager: EntityManager): Promise<JobOutcome> => {
    const referral = await manager.findOne(Referral, {
      where: { id: job.aggregateId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!referral || !isAwaitingAnswer(referral.status)) return 'done';
    const level = Number(job.payload.level ?? 0) + 1;
    const now = new Date();
    referral.escalationLevel = level;
    referral.version += 1;
    referral.updatedAt = now;
    await manager.update(
      Referral,
      { id: referral.id },
      { escalationLevel: level, version: referral.version, updatedAt: now },
    );
    const target = escalationTarget(level);
    await writeHistory(manager, referral, {
      action: 'escalate',
      fromStatus: referral.status,
      actor: SYSTEM_HISTORY_ACTOR,
      reason: `unanswered since ${job.dueAt.toISOString()}; to ${target}`,
      at: now,
    });
    await this.events.publish(
      manager,
      'countylink.referral.escalated.v1',
      referral.id,
      {
        referral: referralMessage(referral),
        level,
        statusAtEscalation: STATUS_PROTO[referral.status],
        dueAt: timestampFromDate(job.dueAt),
        escalatedAt: timestampFromDate(now),
        escalatedToRole: target,
      },
      { subject: `referral/${referral.id}`, occurredAt: now },
    );
    this.logger.warn({ referralId: referral.id, level, target }, 'referral escalated');
    if (level >= this.config.REFERRAL_ESCALATION_MAX_LEVEL) return 'done';
    return {
      rescheduleAt: new Date(now.getTime() + this.config.REFERRAL_ESCALATION_REPEAT_MINUTES * 60_000),
      payload: { level },
    };
  };
}
