/**
 * Notifications travel to every instance as Socket.IO cluster messages of the PostgreSQL adapter
 * (its "emitter" protocol: a server-side emit, uid `emitter`), sent with pg_notify inside the
 * transaction that recorded them — so they reach every instance at commit, in commit order, and
 * never for a rolled-back transaction.
 */
import { CLINICIAN_NAMESPACE } from '../clinician-realtime.constants';
import { RecordedNotification } from '../notifications/notification-types';

export const ADAPTER_CHANNEL_PREFIX = 'countylink_realtime';
export const ADAPTER_CHANNEL = `${ADAPTER_CHANNEL_PREFIX}#${CLINICIAN_NAMESPACE}`;
/** Server-side events carried between instances. */
export const PUSHED = 'countylink:pushed';
export const BARRIER = 'countylink:barrier';
/** The directory changed a person or an institution: the rooms of its sockets are looked at again. */
export const DIRECTORY_CHANGED = 'countylink:directory-changed';

export interface DirectoryChange {
  memberId?: string;
  institutionId?: string;
}

/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more. */
const MAX_PAYLOAD = 7900;
const SERVER_SIDE_EMIT = 9; // socket.io-adapter MessageType.SERVER_SIDE_EMIT

export function serverSideEmitMessage(event: string, arg: unknown): string {
  return JSON.stringify({
    uid: 'emitter',
    nsp: CLINICIAN_NAMESPACE,
    type: SERVER_SIDE_EMIT,
    data: { packet: [event, arg] },
  });
}

/**
 * Packs notifications into as few messages as fit, keeping their order. One that does not fit on
 * its own goes without its data (clients fetch it over HTTP).
 */
export function pushMessages(notifications: readonly RecordedNotification[]): string[] {
  const messages: string[] = [];
  let batch: RecordedNotification[] = [];
  const flush = () => {
    if (batch.length > 0) messages.push(serverSideEmitMessage(PUSHED, batch));
    batch = [];
  };
  for (const n of notifications) {
    const alone = serverSideEmitMessage(PUSHED, [n]);
    if (Buffer.byteLength(alone) > MAX_PAYLOAD) {
      flush();
      messages.push(serverSideEmitMessage(PUSHED, [{ ...n, data: null }]));
      continue;
    }
    if (Buffer.byteLength(serverSideEmitMessage(PUSHED, [...batch, n])) > MAX_PAYLOAD) flush();
    batch.push(n);
  }
  flush();
  return messages;
}
