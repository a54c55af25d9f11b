import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { EventType } from '@countylink/contracts';
import { AppMessaging, ConsumedEvent, EventHandler, EventHandlers } from '@countylink/messaging';
import { AlertService } from '../alerts/alert.service';
import { DirectoryReplica } from '../directory/directory-replica.service';
import { EventMapping } from '../mappings/event-mapping';
import { NOTIFICATION_MAPPINGS } from '../mappings/notification-mappings';
import { LivePush } from '../push/live-push.service';
import { Scope } from '../rooms/rooms';
import { NotificationLog, NotificationSpec } from './notification-log.repository';

export const NOTIFICATION_GROUP = 'clinician-realtime.notifications';

type Pending = Array<{ spec: NotificationSpec; eventId: string }>;

/**
 * One consumer group for everything the app consumes: the directory (kept as a replica) and every
 * mapped event (recorded, alerts raised, pushed). The inbox applies each event once per group,
 * however many instances share its partitions.
 */
@Injectable()
export class NotificationConsumer implements OnModuleInit {
  private readonly logger = new Logger(NotificationConsumer.name);
  /** What the consuming transaction's events will tell, recorded and pushed just before it commits. */
  private readonly pending = new WeakMap<EntityManager, Pending>();

  constructor(
    private readonly messaging: AppMessaging,
    private readonly directory: DirectoryReplica,
    private readonly log: NotificationLog,
    private readonly alerts: AlertService,
    private readonly push: LivePush,
  ) {}

  onModuleInit(): void {
    const handlers: EventHandlers = {
      // Connected sockets of whoever the change concerns have their rooms looked at again (at commit).
      'countylink.directory.institution-upserted.v1': async (event, manager) => {
        await this.flush(manager);
        await this.directory.applyInstitution(manager, event.payload);
        if (event.payload.institution?.id)
          await this.push.directoryChanged(manager, { institutionId: event.payload.institution.id });
      },
      'countylink.directory.member-upserted.v1': async (event, manager) => {
        await this.flush(manager);
        await this.directory.applyMember(manager, event.payload);
        if (event.payload.member?.id) await this.push.directoryChanged(manager, { memberId: event.payload.member.id });
      },
    };
    for (const [type, mapping] of Object.entries(NOTIFICATION_MAPPINGS) as Array<
      [EventType, EventMapping<EventType>]
    >) {
      (handlers as Record<EventType, EventHandler<EventType>>)[type] = (event, manager) =>
        this.apply(mapping, event, manager);
    }
    // A partition's waiting events go in one transaction: their notifications are recorded in one
    // statement (every room's counter locked at once, in sorted order) and pushed at its commit.
    this.messaging.addConsumer({
      groupId: NOTIFICATION_GROUP,
      handlers,
      batched: true,
      beforeCommit: (manager) => this.flush(manager),
    });
  }

  /** Works out what the event means; it is recorded and pushed with the transaction's others (`flush`). */
  async apply<T extends EventType>(
    mapping: EventMapping<T>,
    event: ConsumedEvent<T>,
    manager: EntityManager,
  ): Promise<void> {
    const result = await mapping(event, { manager, directory: this.directory });
    const pending = this.pending.get(manager) ?? [];
    this.pending.set(manager, pending);
    for (const spec of result.notifications)
      pending.push({ spec: await this.onlyOwnPeople(manager, spec, event.id), eventId: event.id });
    for (const request of result.alerts)
      for (const spec of await this.alerts.raise(manager, request)) pending.push({ spec, eventId: event.id });
  }

  /**
   * Records, in event order, what this transaction's events have to tell, and pushes it at commit.
   * A directory change flushes first, so its NOTIFY comes after the pushes of the events before it.
   */
  private async flush(manager: EntityManager): Promise<void> {
    const pending = this.pending.get(manager);
    this.pending.delete(manager);
    if (!pending?.length) return;
    await this.push.publish(manager, await this.log.recordAll(manager, pending));
  }

  /** Drops the `user:` room of a person the directory places in another institution than the event says. */
  private async onlyOwnPeople(
    manager: EntityManager,
    spec: NotificationSpec,
    eventId: string,
  ): Promise<NotificationSpec> {
    const scopes: Scope[] = [];
    for (const scope of spec.scopes) {
      const sub = scope.startsWith('user:') ? scope.slice('user:'.length) : undefined;
      const actsFor = sub === undefined ? undefined : spec.people?.[sub];
      const member = actsFor === undefined ? null : await this.directory.member(manager, sub!);
      if (member && member.institutionId !== actsFor) {
        this.logger.warn(
          { eventId, sub, actsFor, memberOf: member.institutionId },
          'not telling a person of another institution',
        );
        continue;
      }
      scopes.push(scope);
    }
    return { ...spec, scopes };
  }
}
