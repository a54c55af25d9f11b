export * from './directory-members';
export * from './actor-message';
export * from './envelope';
export * from './transport';
export * from './in-process.transport';
export * from './kafka-consumer-supervisor';
export * from './kafka.transport';
export * from './kafka-security';
export * from './outbox-message.entity';
export * from './inbox-entry.entity';
export * from './event-publisher';
export * from './outbox-relay';
export * from './event-consumer';
export * from './app-messaging';
export * from './messaging.module';

import { InboxEntry } from './inbox-entry.entity';
import { OutboxMessage } from './outbox-message.entity';

/** Tables every app that publishes or consumes keeps in its own schema. */
export const MESSAGING_ENTITIES = [OutboxMessage, InboxEntry];
export * from './readiness';
export * from './his-institutions';
export * from './his-feed';
