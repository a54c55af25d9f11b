import { EntityManager } from 'typeorm';
import { EventType } from '@countylink/contracts';
import type { ConsumedEvent } from '@countylink/messaging';
import type { AlertRequest } from '../alerts/alert-request';
import type { DirectoryReplica } from '../directory/directory-replica.service';
import type { NotificationSpec } from '../notifications/notification-log.repository';

/** What a mapping may look up: the directory replica, inside the consuming transaction. */
export interface MappingContext {
  manager: EntityManager;
  directory: DirectoryReplica;
}

/** What one event means for people: notifications to rooms, and alerts that need a human. */
export interface MappingResult {
  notifications: NotificationSpec[];
  alerts: AlertRequest[];
}

/**
 * One small function per event type: event → rooms + notification type + payload (and alerts).
 * Adding an event type to the realtime app is writing one of these and listing it in
 * `NOTIFICATION_MAPPINGS`; the consumer, the log, the push and the replay do the rest.
 */
export type EventMapping<T extends EventType> = (
  event: ConsumedEvent<T>,
  context: MappingContext,
) => MappingResult | Promise<MappingResult>;

export type EventMappings = { [T in EventType]?: EventMapping<T> };

export const nothing = (): MappingResult => ({ notifications: [], alerts: [] });
export const notify = (...notifications: NotificationSpec[]): MappingResult => ({ notifications, alerts: [] });

/** A proto enum name as clients see it: CHEST_PAIN → chest-pain. */
export const kebab = (name: string | undefined) => (name ?? 'unspecified').toLowerCase().replace(/_/g, '-');
