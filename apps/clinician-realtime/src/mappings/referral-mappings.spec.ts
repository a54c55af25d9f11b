import { create, MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  Direction,
  EventCatalog,
  EventType,
  GreenChannelCentre,
  ReferralSchema,
  Status,
  Urgency,
} from '@countylink/contracts';
import { InvalidEventError } from '@countylink/messaging';
import { consumedEvent, Init } from '@countylink/testing/consumed-event';
import type { NotificationSpec } from '../notifications/notification-log.repository';
import type { ReferralNotice } from '../notifications/notification-types';
import { MappingContext, MappingResult } from './event-mapping';
import {
  greenChannelAlerted,
  receivingRoom,
  referralEscalated,
  referralRequested,
  referralStatusChanged,
} from './referral-mappings';

const TIME = new Date('2026-11-05T08:30:00.000Z');
const context = {} as MappingContext;

const consumed = <T extends EventType>(
  type: T,
  init: MessageInitShape<(typeof EventCatalog)[T]['schema']>,
  time = TIME,
) => consumedEvent(type, init, { source: '/countylink/referral-registry', key: 'ref-1', time });

/** A chest-pain up-referral from a township A doctor to county cardiology, as the registry publishes it. */
const upReferral = (overrides: Init<typeof ReferralSchema> = {}): Init<typeof ReferralSchema> => ({
  id: 'ref-1',
  direction: Direction.UP,
  status: Status.REQUESTED,
  urgency: Urgency.URGENT,
  patient: { patientId: 'TA-0001', name: '王建国', identityNumberHash: 'hmac-of-identity' },
  fromInstitutionId: 'township-a',
  fromDepartmentId: 'general-practice',
  fromPractitionerId: 'township-a-doctor',
  toInstitutionId: 'county-hospital',
  toDepartmentId: 'cardiology',
  diagnosis: { code: 'I20.0', display: '不稳定型心绞痛' },
  clinicalSummary: '反复胸痛3天',
  version: 1,
  ...overrides,
});

/** Its way back down: county cardiology returns the patient to township A's general practice. */
const downReferral = (overrides: Init<typeof ReferralSchema> = {}) =>
  upReferral({
    id: 'ref-2',
    direction: Direction.DOWN,
    fromInstitutionId: 'county-hospital',
    fromDepartmentId: 'cardiology',
    fromPractitionerId: 'county-cardiology',
    toInstitutionId: 'township-a',
    toDepartmentId: 'general-practice',
    ...overrides,
  });

const only = async (result: MappingResult | Promise<MappingResult>): Promise<NotificationSpec> => {
  const r = await result;
  expect(r.alerts).toEqual([]);
  expect(r.notifications).toHaveLength(1);
  return r.notifications[0];
};

/** The institutions whose members a notification reaches: named in the room, or the institution a person acts for. */
function institutionsReached(spec: NotificationSpec): string[] {
  return spec.scopes.map((scope) => {
    const [kind, id] = scope.split(':');
    if (kind !== 'user') return id;
    const actsFor = spec.people?.[id];
    if (!actsFor) throw new Error(`${scope} has no institution in people`);
    return actsFor;
  });
}

const baseNotice = {
  referralId: 'ref-1',
  direction: 'up',
  status: 'requested',
  urgency: 'urgent',
  greenChannelCentre: null,
  fromInstitutionId: 'township-a',
  fromPractitionerId: 'township-a-doctor',
  toInstitutionId: 'county-hospital',
  toDepartmentId: 'cardiology',
  patientName: '王建国',
  diagnosis: 'I20.0 不稳定型心绞痛',
  version: 1,
  actor: null,
  reason: null,
  escalationLevel: null,
  escalatedToRole: null,
};

describe('referral mappings', () => {
  describe('referral.requested', () => {
    it('tells the receiving department, the county referral office and the sending doctor, with the notice', async () => {
      const spec = await only(
        referralRequested(
          consumed('countylink.referral.requested.v1', {
            referral: upReferral(),
            actor: { subject: 'township-a-doctor', institutionId: 'township-a' },
          }),
          context,
        ),
      );
      expect(spec).toEqual({
        type: 'referral.requested',
        subject: { type: 'referral', id: 'ref-1' },
        data: { ...baseNotice, actor: 'township-a-doctor' },
        scopes: [
          'department:county-hospital:cardiology',
          'worklist:county-hospital:referrals',
          'user:township-a-doctor',
        ],
        people: { 'township-a-doctor': 'township-a' },
        at: TIME,
      });
    });

    it('goes to the whole receiving institution when no department was named', async () => {
      const spec = await only(
        referralRequested(
          consumed('countylink.referral.requested.v1', { referral: upReferral({ toDepartmentId: '' }) }),
          context,
        ),
      );
      expect(spec.scopes).toEqual([
        'institution:county-hospital',
        'worklist:county-hospital:referrals',
        'user:township-a-doctor',
      ]);
      expect(spec.data).toMatchObject({ toDepartmentId: null, actor: null });
    });

    it('puts a down-referral on the county office of the sending side and the receiving township team', async () => {
      const spec = await only(
        referralRequested(consumed('countylink.referral.requested.v1', { referral: downReferral() }), context),
      );
      expect(spec.scopes).toEqual([
        'department:township-a:general-practice',
        'worklist:county-hospital:referrals',
        'user:county-cardiology',
      ]);
      expect(spec.people).toEqual({ 'county-cardiology': 'county-hospital' });
      expect(spec.data).toMatchObject({
        referralId: 'ref-2',
        direction: 'down',
        fromInstitutionId: 'county-hospital',
        toInstitutionId: 'township-a',
        toDepartmentId: 'general-practice',
      });
    });

    it('spells the enums as clients read them, and carries no identity hash or patient id', async () => {
      const referral = upReferral({
        status: Status.ACCEPTED,
        urgency: Urgency.EMERGENCY,
        greenChannelCentre: GreenChannelCentre.CHEST_PAIN,
        version: 4,
      });
      const { data } = await only(
        referralRequested(consumed('countylink.referral.requested.v1', { referral }), context),
      );
      expect(data).toMatchObject({
        status: 'accepted',
        urgency: 'emergency',
        greenChannelCentre: 'chest-pain',
        version: 4,
      });
      expect(JSON.stringify(data)).not.toContain('hmac-of-identity');
      expect(JSON.stringify(data)).not.toContain('TA-0001');
      expect(Object.keys(data).sort()).toEqual(Object.keys(baseNotice).sort());
    });

    it('leaves the patient name and the diagnosis empty when the event has none', async () => {
      const { data } = await only(
        referralRequested(
          consumed('countylink.referral.requested.v1', {
            referral: upReferral({ patient: undefined, diagnosis: undefined }),
          }),
          context,
        ),
      );
      expect(data).toMatchObject({ patientName: '', diagnosis: '' });
    });

    it('refuses an event without a referral, or with a referral missing its id or an end', () => {
      const map = (referral?: Init<typeof ReferralSchema>) => () =>
        referralRequested(consumed('countylink.referral.requested.v1', { referral }), context);
      expect(map(undefined)).toThrow(new InvalidEventError('event carries no referral with its two ends'));
      expect(map(upReferral({ id: '' }))).toThrow(InvalidEventError);
      expect(map(upReferral({ fromInstitutionId: '' }))).toThrow(InvalidEventError);
      expect(map(upReferral({ toInstitutionId: '' }))).toThrow(InvalidEventError);
    });
  });

  describe('status changes', () => {
    const cases = [
      ['countylink.referral.received.v1', 'referral.received', Status.RECEIVED, 'received'],
      ['countylink.referral.accepted.v1', 'referral.accepted', Status.ACCEPTED, 'accepted'],
      ['countylink.referral.rejected.v1', 'referral.rejected', Status.REJECTED, 'rejected'],
      ['countylink.referral.arrived.v1', 'referral.arrived', Status.ARRIVED, 'arrived'],
      ['countylink.referral.completed.v1', 'referral.completed', Status.COMPLETED, 'completed'],
      ['countylink.referral.cancelled.v1', 'referral.cancelled', Status.CANCELLED, 'cancelled'],
    ] as const;

    it.each(cases)(
      '%s becomes %s for the same three rooms, with actor and reason',
      async (eventType, type, status, statusName) => {
        const event = consumed(eventType, {
          referral: upReferral({ status, version: 3 }),
          fromStatus: Status.REQUESTED,
          toStatus: status,
          actor: { subject: 'county-coordinator', institutionId: 'county-hospital' },
          reason: '床位已满',
          occurredAt: timestampFromDate(new Date('2026-11-05T08:29:00.000Z')),
        });
        const spec = await only(referralStatusChanged(type)(event, context));
        expect(spec).toEqual({
          type,
          subject: { type: 'referral', id: 'ref-1' },
          data: { ...baseNotice, status: statusName, version: 3, actor: 'county-coordinator', reason: '床位已满' },
          scopes: [
            'department:county-hospital:cardiology',
            'worklist:county-hospital:referrals',
            'user:township-a-doctor',
          ],
          people: { 'township-a-doctor': 'township-a' },
          // The envelope's time, not occurredAt.
          at: TIME,
        });
      },
    );

    it('gives a null reason and actor when the event has none', async () => {
      const spec = await only(
        referralStatusChanged('referral.received')(
          consumed('countylink.referral.received.v1', { referral: upReferral(), reason: '' }),
          context,
        ),
      );
      expect(spec.data).toMatchObject({ actor: null, reason: null });
    });

    it('refuses an event without a referral', () => {
      expect(() =>
        referralStatusChanged('referral.accepted')(consumed('countylink.referral.accepted.v1', {}), context),
      ).toThrow(InvalidEventError);
    });
  });

  describe('referral.escalated', () => {
    it('tells the receiving team and the referral office only, with the level and the role it climbed to', async () => {
      const escalatedAt = new Date('2026-11-05T09:00:00.000Z');
      const spec = await only(
        referralEscalated(
          consumed('countylink.referral.escalated.v1', {
            referral: upReferral(),
            level: 2,
            statusAtEscalation: Status.REQUESTED,
            escalatedAt: timestampFromDate(escalatedAt),
            escalatedToRole: 'department-head',
          }),
          context,
        ),
      );
      expect(spec).toEqual({
        type: 'referral.escalated',
        subject: { type: 'referral', id: 'ref-1' },
        data: { ...baseNotice, escalationLevel: 2, escalatedToRole: 'department-head' },
        scopes: ['department:county-hospital:cardiology', 'worklist:county-hospital:referrals'],
        at: escalatedAt,
      });
      expect(spec.people).toBeUndefined();
    });

    it('falls back to the envelope time and a null role', async () => {
      const spec = await only(
        referralEscalated(
          consumed('countylink.referral.escalated.v1', { referral: downReferral({ toDepartmentId: '' }), level: 1 }),
          context,
        ),
      );
      expect(spec.at).toBe(TIME);
      expect(spec.scopes).toEqual(['institution:township-a', 'worklist:county-hospital:referrals']);
      expect(spec.data).toMatchObject({ escalationLevel: 1, escalatedToRole: null });
    });
  });

  describe('referral.green-channel-alerted', () => {
    it('raises a green-channel alert for the receiving department, and no notification', async () => {
      const referral = upReferral({
        urgency: Urgency.EMERGENCY,
        greenChannelCentre: GreenChannelCentre.CHEST_PAIN,
        diagnosis: { code: 'I21.0', display: '急性前壁心肌梗死' },
      });
      const result = await greenChannelAlerted(
        consumed('countylink.referral.green-channel-alerted.v1', { referral, centre: GreenChannelCentre.CHEST_PAIN }),
        context,
      );
      expect(result).toEqual({
        notifications: [],
        alerts: [
          {
            kind: 'green-channel',
            subject: { type: 'referral', id: 'ref-1' },
            institutionId: 'county-hospital',
            departmentId: 'cardiology',
            summary: '绿色通道 chest-pain: 王建国 急性前壁心肌梗死 (township-a)',
            at: TIME,
          },
        ],
      });
    });

    it('takes the centre from the referral when the event names none, and the institution when no department', async () => {
      const referral = upReferral({ greenChannelCentre: GreenChannelCentre.STROKE, toDepartmentId: '' });
      const { alerts } = await greenChannelAlerted(
        consumed('countylink.referral.green-channel-alerted.v1', { referral }),
        context,
      );
      expect(alerts[0]).toMatchObject({
        institutionId: 'county-hospital',
        departmentId: null,
        summary: '绿色通道 stroke: 王建国 不稳定型心绞痛 (township-a)',
      });
    });

    it('prefers the event’s centre, and says unspecified when neither names one', async () => {
      const event = (referral: Init<typeof ReferralSchema>, centre = GreenChannelCentre.UNSPECIFIED) =>
        consumed('countylink.referral.green-channel-alerted.v1', { referral, centre });
      expect(
        (
          await greenChannelAlerted(
            event(upReferral({ greenChannelCentre: GreenChannelCentre.STROKE }), GreenChannelCentre.TRAUMA),
            context,
          )
        ).alerts[0].summary,
      ).toMatch(/^绿色通道 trauma: /);
      expect(
        (await greenChannelAlerted(event(upReferral({ patient: undefined, diagnosis: undefined })), context)).alerts[0]
          .summary,
      ).toBe('绿色通道 unspecified:   (township-a)');
    });

    it('refuses an event without a referral', () => {
      expect(() => greenChannelAlerted(consumed('countylink.referral.green-channel-alerted.v1', {}), context)).toThrow(
        InvalidEventError,
      );
    });
  });

  describe('who is told', () => {
    const events = () => [
      referralRequested(consumed('countylink.referral.requested.v1', { referral: upReferral() }), context),
      referralRequested(consumed('countylink.referral.requested.v1', { referral: downReferral() }), context),
      referralStatusChanged('referral.accepted')(
        consumed('countylink.referral.accepted.v1', { referral: upReferral({ toDepartmentId: '' }) }),
        context,
      ),
      referralStatusChanged('referral.completed')(
        consumed('countylink.referral.completed.v1', { referral: downReferral({ toDepartmentId: '' }) }),
        context,
      ),
      referralEscalated(consumed('countylink.referral.escalated.v1', { referral: upReferral(), level: 1 }), context),
    ];

    it('never sends a referral’s patient to a room of an institution other than its two ends', async () => {
      for (const result of events()) {
        const spec = await only(result);
        const notice = spec.data as ReferralNotice;
        const ends = [notice.fromInstitutionId, notice.toInstitutionId];
        for (const institution of institutionsReached(spec)) expect(ends).toContain(institution);
        expect(institutionsReached(spec)).not.toContain('township-b');
      }
    });

    it('names a person only in their user room, with the institution they act for', async () => {
      for (const result of events()) {
        const spec = await only(result);
        const users = spec.scopes.filter((s) => s.startsWith('user:')).map((s) => s.slice('user:'.length));
        expect(Object.keys(spec.people ?? {})).toEqual(users);
      }
    });
  });

  describe('receivingRoom', () => {
    it('is the department room when one is named, else the institution room', () => {
      expect(receivingRoom(create(ReferralSchema, upReferral()))).toBe('department:county-hospital:cardiology');
      expect(receivingRoom(create(ReferralSchema, upReferral({ toDepartmentId: '' })))).toBe(
        'institution:county-hospital',
      );
    });
  });
});
