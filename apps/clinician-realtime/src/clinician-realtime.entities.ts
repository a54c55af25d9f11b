import { MESSAGING_ENTITIES } from '@countylink/messaging';
import { PERSISTENCE_ENTITIES } from '@countylink/persistence';
import { Alert } from './alerts/alert.entity';
import { DIRECTORY_REPLICA_ENTITIES } from './directory/directory-replica.entities';
import { NOTIFICATION_ENTITIES } from './notifications/notification.entities';

/** Every table of the `realtime` schema. */
export const REALTIME_ENTITIES = [
  ...NOTIFICATION_ENTITIES,
  Alert,
  ...DIRECTORY_REPLICA_ENTITIES,
  ...MESSAGING_ENTITIES,
  ...PERSISTENCE_ENTITIES,
];
