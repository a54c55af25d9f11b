import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { DataSource, EntityManager } from 'typeorm';
import { hasAnyRole, Principal, Role } from '@countylink/auth';
import { actorMessage, EventPublisher } from '@countylink/messaging';
import { cancelJob, JobOutcome, recordAudit, ScheduledJob, scheduleJob } from '@countylink/persistence';
import { DomainException, isUuid } from '@countylink/platform';
import { REALTIME_DATA_SOURCE } from '../clinician-realtime.constants';
import { RealtimeErrorCode } from '../clinician-realtime.exception';
import { DirectoryReplica } from '../directory/directory-replica.service';
import { KnownMember } from '../directory/directory-replica.entities';
import { NotificationLog, NotificationSpec } from '../notifications/notification-log.repository';
import { AlertNotice, AlertNotificationType } from '../notifications/notification-types';
import { LivePush } from '../push/live-push.service';
import { MemberRooms } from '../rooms/member-rooms.service';
import { Rooms, Scope } from '../rooms/rooms';
import { Alert } from './alert.entity';
import { acknowledgeDueAt, LadderStep, LadderTimings, nextStep, pageChannel } from './alert-ladder';
import { AlertRepository } from './alert.repository';
import { AlertRequest } from './alert-request';
import { alertMessage, alertNotice, STEP_PROTO } from './alert-view';
import { ClinicianRealtimeConfig } from '../clinician-realtime.config';

export const ALERT_ESCALATION_JOB = 'alert.escalate';
export const ALERT_PAGE_JOB = 'alert.page';

/** Roles that stand for a person; a HIS service account cannot take an alert. */
const HUMAN_ROLES = [Role.TownshipDoctor, Role.FamilyDoctor, Role.CountySpecialist, Role.ReferralCoordinator];

const unique = <T>(items: T[]) => [...new Set(items)];

/**
 * Alerts that need a human: raised from events, climbing the ladder on durable timers (each step
 * one transaction: alert row, notification, outgoing event, pages, next timer), closed by an ack.
 */
@Injectable()
export class AlertService {
  private readonly logger = new Logger(AlertService.name);
  private readonly timings: LadderTimings;

  constructor(
    @InjectDataSource(REALTIME_DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly directory: DirectoryReplica,
    private readonly log: NotificationLog,
    private readonly push: LivePush,
    private readonly events: EventPublisher,
    private readonly memberRooms: MemberRooms,
    private readonly alerts: AlertRepository,
    config: ClinicianRealtimeConfig,
  ) {
    this.timings = {
      firstStepSeconds: {
        'green-channel': config.ALERT_ACK_SECONDS_GREEN_CHANNEL,
        'critical-value': config.ALERT_ACK_SECONDS_CRITICAL_VALUE,
      },
      stepSeconds: config.ALERT_ESCALATION_STEP_SECONDS,
    };
  }

  /** In the consuming transaction. An alert for the same subject and kind is raised once. */
  /**
   * Raises the alert of a consumed event and starts its ladder: what to tell whom is returned, to
   * be recorded and pushed with the rest of the consuming transaction's notifications.
   */
  async raise(manager: EntityManager, request: AlertRequest): Promise<NotificationSpec[]> {
    const alert = manager.create(Alert, {
      id: randomUUID(),
      kind: request.kind,
      subjectType: request.subject.type,
      subjectId: request.subject.id,
      institutionId: request.institutionId,
      departmentId: request.departmentId,
      summary: request.summary,
      status: 'open',
      step: 'on-duty',
      raisedAt: request.at,
      acknowledgeDueAt: acknowledgeDueAt(request.kind, 'on-duty', request.at, this.timings),
      rooms: [],
      acknowledgedBy: null,
      acknowledgedAt: null,
    });
    const { rooms, paged } = await this.stepAudience(manager, alert, 'on-duty');
    alert.rooms = rooms;
    if (!(await this.alerts.insertOnce(manager, alert))) return [];
    await this.events.publish(
      manager,
      'countylink.notification.alert-raised.v1',
      alert.id,
      { alert: alertMessage(alert), pagedMemberIds: paged.map((m) => m.id) },
      { subject: `alert/${alert.id}`, occurredAt: request.at },
    );
    if (alert.acknowledgeDueAt)
      await scheduleJob(manager, ALERT_ESCALATION_JOB, alert.id, alert.acknowledgeDueAt, { step: alert.step });
    await this.schedulePages(manager, alert, paged);
    return [noticeSpec('alert.raised', alert, rooms, request.at)];
  }

  /** The ladder timer: nobody acknowledged the current step in time, so climb one step. */
  readonly onEscalationDue = async (job: ScheduledJob, manager: EntityManager): Promise<JobOutcome> => {
    const alert = await manager.findOne(Alert, { where: { id: job.aggregateId }, lock: { mode: 'pessimistic_write' } });
    // A timer of a step the alert has left (or of an acknowledged alert) has nothing to do.
    if (!alert || alert.status !== 'open' || alert.step !== job.payload.step) return 'done';
    const from = alert.step;
    const to = nextStep(from);
    if (!to) return 'done';
    const now = new Date();
    const { rooms, paged } = await this.stepAudience(manager, alert, to);
    alert.step = to;
    alert.acknowledgeDueAt = acknowledgeDueAt(alert.kind, to, now, this.timings);
    alert.rooms = unique([...alert.rooms, ...rooms]);
    await manager.update(
      Alert,
      { id: alert.id },
      { step: to, acknowledgeDueAt: alert.acknowledgeDueAt, rooms: alert.rooms },
    );
    await this.events.publish(
      manager,
      'countylink.notification.alert-escalated.v1',
      alert.id,
      {
        alert: alertMessage(alert),
        fromStep: STEP_PROTO[from],
        toStep: STEP_PROTO[to],
        pagedMemberIds: paged.map((m) => m.id),
        escalatedAt: timestampFromDate(now),
      },
      { subject: `alert/${alert.id}`, occurredAt: now },
    );
    await this.schedulePages(manager, alert, paged);
    const recorded = await this.notify(manager, 'alert.escalated', alert, rooms, now, null);
    if (recorded) await this.push.publish(manager, [recorded]);
    this.logger.warn({ alertId: alert.id, from, to }, 'alert escalated: not acknowledged in time');
    return alert.acknowledgeDueAt ? { rescheduleAt: alert.acknowledgeDueAt, payload: { step: to } } : 'done';
  };

  /** An authorised recipient takes the alert; the ladder stops. Acknowledging twice changes nothing. */
  acknowledge(
    principal: Principal,
    alertId: string,
    readBack?: string,
  ): Promise<{ alert: AlertNotice; alreadyAcknowledged: boolean }> {
    return this.dataSource.transaction(async (manager) => {
      const alert = isUuid(alertId)
        ? await manager.findOne(Alert, { where: { id: alertId }, lock: { mode: 'pessimistic_write' } })
        : null;
      const mine = alert ? await this.memberRooms.of(manager, principal) : [];
      const reached = alert ? mine.some((room) => alert.rooms.includes(room)) : false;
      // Another institution's alert is answered as if it did not exist, so ids cannot be probed.
      if (!alert || (!reached && alert.institutionId !== principal.institutionId)) {
        throw new DomainException(RealtimeErrorCode.ALERT_NOT_FOUND, `No alert ${alertId}`);
      }
      if (!reached || !hasAnyRole(principal, HUMAN_ROLES)) {
        throw new DomainException(
          RealtimeErrorCode.ALERT_NOT_ALLOWED,
          'Only a clinician the alert has reached may acknowledge it',
        );
      }
      if (alert.status === 'acknowledged') return { alert: alertNotice(alert), alreadyAcknowledged: true };
      const now = new Date();
      const heard = readBack?.trim().slice(0, 500) || null;
      Object.assign(alert, {
        status: 'acknowledged',
        acknowledgedBy: principal.sub,
        acknowledgedAt: now,
        acknowledgeDueAt: null,
        readBack: heard,
      });
      await manager.update(
        Alert,
        { id: alert.id },
        {
          status: alert.status,
          acknowledgedBy: principal.sub,
          acknowledgedAt: now,
          acknowledgeDueAt: null,
          readBack: heard,
        },
      );
      await cancelJob(manager, ALERT_ESCALATION_JOB, alert.id);
      await this.events.publish(
        manager,
        'countylink.notification.alert-acknowledged.v1',
        alert.id,
        {
          alert: alertMessage(alert),
          actor: actorMessage(principal),
          acknowledgedAt: timestampFromDate(now),
          responseMs: BigInt(now.getTime() - alert.raisedAt.getTime()),
        },
        { subject: `alert/${alert.id}`, occurredAt: now },
      );
      const recorded = await this.notify(manager, 'alert.acknowledged', alert, alert.rooms, now, null);
      if (recorded) await this.push.publish(manager, [recorded]);
      return { alert: alertNotice(alert), alreadyAcknowledged: false };
    });
  }

  /**
   * The open alerts that have reached one of the principal's rooms, oldest first: what a console
   * shows on connecting (a critical value raised while nobody was signed in must still ring).
   */
  async openFor(principal: Principal, limit = 100): Promise<AlertNotice[]> {
    return this.dataSource.transaction(async (manager) => {
      const mine = await this.memberRooms.of(manager, principal);
      const open = await this.alerts.openReaching(manager, mine, limit);
      if (open.length > 0) {
        await recordAudit(manager, principal, {
          action: 'alert.list',
          resourceType: 'alert',
          resourceIds: open.map((a) => a.id),
          reason: 'open alerts',
        });
      }
      return open.map(alertNotice);
    });
  }

  /** Who a step reaches: its people's own rooms (they are paged too) and the answering team's room. */
  private async stepAudience(
    manager: EntityManager,
    alert: Alert,
    step: LadderStep,
  ): Promise<{ rooms: Scope[]; paged: KnownMember[] }> {
    // The receiving team: the named department; with none, a green channel belongs to the referral
    // office (not to every clinician of the hospital), a critical value to the requesting institution.
    const team = alert.departmentId
      ? Rooms.department(alert.institutionId, alert.departmentId)
      : alert.kind === 'green-channel'
        ? Rooms.referralDesk(alert.institutionId)
        : Rooms.institution(alert.institutionId);
    // A green channel with no department named is the referral office's at every step of the ladder.
    if (step === 'coordinator' || (alert.kind === 'green-channel' && !alert.departmentId)) {
      const paged = await this.directory.coordinatorsFor(manager, alert.institutionId);
      const desk = Rooms.referralDesk(paged[0]?.institutionId ?? alert.institutionId);
      return { rooms: unique([desk, ...paged.map((m) => Rooms.user(m.id)), team]), paged };
    }
    const paged = await this.directory.withDuty(manager, step, alert.institutionId, alert.departmentId);
    const users = paged.map((m) => Rooms.user(m.id));
    return { rooms: unique(step === 'on-duty' ? [team, ...users] : [...users, team]), paged };
  }

  private async schedulePages(manager: EntityManager, alert: Alert, members: KnownMember[]): Promise<void> {
    for (const m of members) {
      const id = `${alert.id}:${alert.step}:${m.id}`;
      await scheduleJob(manager, ALERT_PAGE_JOB, id, new Date(), {
        id,
        channel: pageChannel(alert.step),
        memberId: m.id,
        memberName: m.name,
        text: `[${alert.kind}] ${alert.summary}`,
      });
    }
  }

  private notify(
    manager: EntityManager,
    type: AlertNotificationType,
    alert: Alert,
    rooms: Scope[],
    at: Date,
    eventId: string | null,
  ) {
    return this.log.record(manager, noticeSpec(type, alert, rooms, at), eventId);
  }
}

function noticeSpec(type: AlertNotificationType, alert: Alert, rooms: Scope[], at: Date): NotificationSpec {
  return { type, subject: { type: 'alert', id: alert.id }, data: alertNotice(alert), scopes: rooms, at };
}
