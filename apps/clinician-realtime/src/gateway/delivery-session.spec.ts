import { NotificationFrame } from '../notifications/notification-types';
import { DeliverySession } from './delivery-session';

const frame = (scope: string, seq: number): NotificationFrame => ({
  id: `${scope}/${seq}`,
  scope,
  seq,
  type: 'referral.received',
  at: '',
  subject: { type: 'referral', id: 'r' },
  data: null,
});

describe('DeliverySession', () => {
  it('holds live frames during the replay, then sends only those the replay did not cover, in order', () => {
    const sent: string[] = [];
    const session = new DeliverySession((f) => sent.push(f.id));
    session.offer(frame('a', 5)); // committed before the replay read: covered by it
    session.offer(frame('a', 6));
    session.offer(frame('b', 2));
    expect(sent).toEqual([]);
    session.catchUp({ a: 5, b: 1 });
    expect(sent).toEqual(['a/6', 'b/2']);
  });

  it('drops repeats while catching up and ignores offers once live', () => {
    const sent: string[] = [];
    const session = new DeliverySession((f) => sent.push(f.id));
    session.catchUp({ a: 3 });
    session.offer(frame('a', 3));
    session.offer(frame('a', 4));
    session.offer(frame('a', 4));
    session.goLive();
    session.offer(frame('a', 5));
    expect(sent).toEqual(['a/4']);
    expect(session.state).toBe('live');
  });
});
