import { RecordedNotification } from '../notifications/notification-types';
import { pushMessages } from './push-messages';

const notification = (id: number, size = 10): RecordedNotification =>
  ({
    id: String(id),
    type: 'referral.received',
    at: '2025-01-01T00:00:00.000Z',
    subject: { type: 'referral', id: 'r' },
    data: { reason: 'x'.repeat(size) },
    deliveries: [{ scope: 'user:a', seq: id }],
  }) as unknown as RecordedNotification;

const unpack = (m: string) =>
  JSON.parse(m) as { uid: string; nsp: string; type: number; data: { packet: [string, RecordedNotification[]] } };

describe('pushMessages', () => {
  it('sends a server-side emit of the clinician namespace, as the adapter expects from an emitter', () => {
    const [message] = pushMessages([notification(1)]);
    expect(unpack(message)).toMatchObject({
      uid: 'emitter',
      nsp: '/clinician',
      type: 9,
      data: { packet: ['countylink:pushed', [{ id: '1' }]] },
    });
  });

  it('keeps every message under the NOTIFY limit and the notifications in order', () => {
    const input = Array.from({ length: 40 }, (_, i) => notification(i + 1, 500));
    const messages = pushMessages(input);
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) expect(Buffer.byteLength(m)).toBeLessThan(8000);
    expect(messages.flatMap((m) => unpack(m).data.packet[1].map((n) => n.id))).toEqual(input.map((n) => n.id));
  });

  it('sends one too large for NOTIFY without its data', () => {
    const [message] = pushMessages([notification(1, 9000)]);
    expect(unpack(message).data.packet[1][0]).toMatchObject({ id: '1', data: null });
  });
});
