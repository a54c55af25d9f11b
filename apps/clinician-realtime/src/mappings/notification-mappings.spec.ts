import { create, DescMessage } from '@bufbuild/protobuf';
import { EventCatalog, EventPayload, EventType, isEventType } from '@countylink/contracts';
import { ConsumedEvent } from '@countylink/messaging';
import { NOTIFICATION_TYPES } from '../notifications/notification-types';
import { EventMapping, kebab, MappingContext, nothing, notify } from './event-mapping';
import { NOTIFICATION_MAPPINGS } from './notification-mappings';

const TIME = new Date('2026-11-05T08:30:00.000Z');
const context = {} as MappingContext;

/** The smallest payload each mapping accepts: both ends of a referral or read, a schedule and an appointment. */
const referral = {
  id: 'ref-1',
  fromInstitutionId: 'township-a',
  fromPractitionerId: 'township-a-doctor',
  toInstitutionId: 'county-hospital',
};
const read = {
  id: 'read-1',
  requestingInstitutionId: 'township-a',
  requestingPractitionerId: 'township-a-doctor',
  readingInstitutionId: 'county-hospital',
  modality: 'ECG',
};
const booking = {
  schedule: { id: 'sch-1', institutionId: 'county-hospital', departmentId: 'cardiology' },
  appointment: { id: 'app-1', patientInstitutionId: 'township-a' },
};

function consumed(type: EventType): ConsumedEvent<EventType> {
  const init = type.startsWith('countylink.referral.')
    ? { referral }
    : type.startsWith('countylink.diagnosis.')
      ? { read }
      : booking;
  const payload = create(EventCatalog[type].schema as DescMessage, init as never) as unknown as EventPayload<EventType>;
  return { id: `evt-${type}`, type, source: '/test', time: TIME, topic: EventCatalog[type].topic, key: null, payload };
}

/** What each event type is told as: a notification type, or an alert kind. */
const EXPECTED: Record<string, string> = {
  'countylink.referral.requested.v1': 'referral.requested',
  'countylink.referral.received.v1': 'referral.received',
  'countylink.referral.accepted.v1': 'referral.accepted',
  'countylink.referral.rejected.v1': 'referral.rejected',
  'countylink.referral.arrived.v1': 'referral.arrived',
  'countylink.referral.completed.v1': 'referral.completed',
  'countylink.referral.cancelled.v1': 'referral.cancelled',
  'countylink.referral.escalated.v1': 'referral.escalated',
  'countylink.referral.green-channel-alerted.v1': 'alert:green-channel',
  'countylink.scheduling.appointment-booked.v1': 'appointment.booked',
  'countylink.scheduling.appointment-cancelled.v1': 'appointment.cancelled',
  'countylink.scheduling.appointment-no-show.v1': 'appointment.no-show',
  'countylink.scheduling.appointment-attended.v1': 'appointment.attended',
  'countylink.scheduling.waitlist-offered.v1': 'appointment.offered-from-waitlist',
  'countylink.diagnosis.read-ready.v1': 'read.ready',
  'countylink.diagnosis.read-claimed.v1': 'read.claimed',
  'countylink.diagnosis.read-released.v1': 'read.released',
  'countylink.diagnosis.read-reported.v1': 'read.reported',
  'countylink.diagnosis.report-amended.v1': 'read.amended',
  'countylink.diagnosis.critical-value-raised.v1': 'alert:critical-value',
};

describe('NOTIFICATION_MAPPINGS', () => {
  it('maps exactly the listed events, every one of them in the EventCatalog', () => {
    expect(Object.keys(NOTIFICATION_MAPPINGS).sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const type of Object.keys(NOTIFICATION_MAPPINGS)) expect(isEventType(type)).toBe(true);
  });

  it('leaves commands, results, the directory and the realtime app’s own alert events unmapped', () => {
    const mapped = Object.keys(NOTIFICATION_MAPPINGS);
    for (const type of Object.keys(EventCatalog)) {
      if (/^countylink\.(his-commands|his-results|directory|notification)\./.test(type))
        expect(mapped).not.toContain(type);
    }
    expect(mapped).not.toContain('countylink.diagnosis.instance-stored.v1');
    expect(mapped).not.toContain('countylink.scheduling.schedule-published.v1');
  });

  it.each(Object.entries(EXPECTED))('%s is told as %s', async (type, expected) => {
    const mapping = NOTIFICATION_MAPPINGS[type as EventType] as EventMapping<EventType>;
    const result = await mapping(consumed(type as EventType), context);
    if (expected.startsWith('alert:')) {
      expect(result.notifications).toEqual([]);
      expect(result.alerts.map((a) => a.kind)).toEqual([expected.slice('alert:'.length)]);
    } else {
      expect(result.alerts).toEqual([]);
      expect(result.notifications.map((n) => n.type)).toEqual([expected]);
      expect(NOTIFICATION_TYPES).toContain(expected);
      expect(result.notifications[0].scopes.length).toBeGreaterThan(0);
    }
  });
});

describe('event-mapping helpers', () => {
  it('spells proto enum names in kebab case, unspecified when absent', () => {
    expect(kebab('CHEST_PAIN')).toBe('chest-pain');
    expect(kebab('NO_SHOW')).toBe('no-show');
    expect(kebab('READY')).toBe('ready');
    expect(kebab(undefined)).toBe('unspecified');
  });

  it('builds empty and notification-only results', () => {
    expect(nothing()).toEqual({ notifications: [], alerts: [] });
    const spec = {
      type: 'read.ready' as const,
      subject: { type: 'read' as const, id: 'r' },
      data: {} as never,
      scopes: ['user:a'],
      at: TIME,
    };
    expect(notify(spec, spec)).toEqual({ notifications: [spec, spec], alerts: [] });
    expect(notify()).toEqual({ notifications: [], alerts: [] });
  });
});
