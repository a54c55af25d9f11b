import { MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  AppointmentSchema,
  AppointmentStatus,
  EventCatalog,
  EventType,
  Pool,
  ResourceKind,
  ScheduleSchema,
} from '@countylink/contracts';
import { InvalidEventError } from '@countylink/messaging';
import { consumedEvent, Init } from '@countylink/testing/consumed-event';
import type { NotificationSpec } from '../notifications/notification-log.repository';
import type { AppointmentNotice } from '../notifications/notification-types';
import { MappingContext, MappingResult } from './event-mapping';
import { appointmentChanged, waitlistOffered } from './scheduling-mappings';

const TIME = new Date('2026-11-05T08:30:00.000Z');
const OCCURRED = new Date('2026-11-05T08:29:45.000Z');
const STARTS = new Date('2026-11-07T00:30:00.000Z');
const context = {} as MappingContext;

const consumed = <T extends EventType>(
  type: T,
  init: MessageInitShape<(typeof EventCatalog)[T]['schema']>,
  time = TIME,
) => consumedEvent(type, init, { source: '/countylink/specialist-slots', key: 'sch-1', time });

/** A county cardiology clinic session, and a reserved place on it booked by a township A family doctor. */
const schedule = (overrides: Init<typeof ScheduleSchema> = {}): Init<typeof ScheduleSchema> => ({
  id: 'sch-1',
  kind: ResourceKind.CLINIC_SESSION,
  institutionId: 'county-hospital',
  departmentId: 'cardiology',
  practitionerId: 'county-cardiology',
  startsAt: timestampFromDate(STARTS),
  capacity: 10,
  version: 3,
  ...overrides,
});

const appointment = (overrides: Init<typeof AppointmentSchema> = {}): Init<typeof AppointmentSchema> => ({
  id: 'app-1',
  scheduleId: 'sch-1',
  pool: Pool.RESERVED,
  status: AppointmentStatus.BOOKED,
  patient: { patientId: 'TA-0001', name: '王建国', identityNumberHash: 'hmac-of-identity' },
  patientInstitutionId: 'township-a',
  referralId: 'ref-1',
  bookedBy: { subject: 'family-doctor-a', institutionId: 'township-a' },
  ...overrides,
});

const baseNotice: AppointmentNotice = {
  appointmentId: 'app-1',
  scheduleId: 'sch-1',
  referralId: 'ref-1',
  pool: 'reserved',
  status: 'booked',
  kind: 'clinic-session',
  institutionId: 'county-hospital',
  departmentId: 'cardiology',
  startsAt: STARTS.toISOString(),
  patientName: '王建国',
  patientInstitutionId: 'township-a',
  actor: null,
  reason: null,
};

const only = async (result: MappingResult | Promise<MappingResult>): Promise<NotificationSpec> => {
  const r = await result;
  expect(r.alerts).toEqual([]);
  expect(r.notifications).toHaveLength(1);
  return r.notifications[0];
};

function institutionsReached(spec: NotificationSpec): string[] {
  return spec.scopes.map((scope) => {
    const [kind, id] = scope.split(':');
    if (kind !== 'user') return id;
    const actsFor = spec.people?.[id];
    if (!actsFor) throw new Error(`${scope} has no institution in people`);
    return actsFor;
  });
}

describe('scheduling mappings', () => {
  describe('appointment changes', () => {
    const cases = [
      ['countylink.scheduling.appointment-booked.v1', 'appointment.booked', AppointmentStatus.BOOKED, 'booked'],
      [
        'countylink.scheduling.appointment-cancelled.v1',
        'appointment.cancelled',
        AppointmentStatus.CANCELLED,
        'cancelled',
      ],
      ['countylink.scheduling.appointment-no-show.v1', 'appointment.no-show', AppointmentStatus.NO_SHOW, 'no-show'],
      ['countylink.scheduling.appointment-attended.v1', 'appointment.attended', AppointmentStatus.ATTENDED, 'attended'],
    ] as const;

    it.each(cases)(
      '%s becomes %s for the providing department, the patient’s institution and the booker',
      async (eventType, type, status, statusName) => {
        const event = consumed(eventType, {
          schedule: schedule(),
          appointment: appointment({ status }),
          actor: { subject: 'county-coordinator', institutionId: 'county-hospital' },
          reason: '患者改期',
          occurredAt: timestampFromDate(OCCURRED),
        });
        const spec = await only(appointmentChanged(type)(event, context));
        expect(spec).toEqual({
          type,
          subject: { type: 'appointment', id: 'app-1' },
          data: { ...baseNotice, status: statusName, actor: 'county-coordinator', reason: '患者改期' },
          scopes: ['department:county-hospital:cardiology', 'institution:township-a', 'user:family-doctor-a'],
          people: { 'family-doctor-a': 'township-a' },
          at: OCCURRED,
        });
      },
    );

    it('spells pool and kind as clients read them, and nulls an absent referral, start, actor and reason', async () => {
      const spec = await only(
        appointmentChanged('appointment.booked')(
          consumed('countylink.scheduling.appointment-booked.v1', {
            schedule: schedule({ kind: ResourceKind.WARD_BEDS, startsAt: undefined }),
            appointment: appointment({ pool: Pool.GENERAL, referralId: '' }),
            reason: '',
          }),
          context,
        ),
      );
      expect(spec.data).toEqual({
        ...baseNotice,
        pool: 'general',
        kind: 'ward-beds',
        startsAt: null,
        referralId: null,
      });
      expect(spec.at).toBe(TIME);
    });

    it('names the booker’s own institution for their user room, even when it is not the patient’s', async () => {
      const spec = await only(
        appointmentChanged('appointment.booked')(
          consumed('countylink.scheduling.appointment-booked.v1', {
            schedule: schedule(),
            appointment: appointment({ bookedBy: { subject: 'his-county', institutionId: 'county-hospital' } }),
          }),
          context,
        ),
      );
      expect(spec.scopes).toEqual([
        'department:county-hospital:cardiology',
        'institution:township-a',
        'user:his-county',
      ]);
      expect(spec.people).toEqual({ 'his-county': 'county-hospital' });
    });

    it('has no user room when nobody is named as booker', async () => {
      const spec = await only(
        appointmentChanged('appointment.cancelled')(
          consumed('countylink.scheduling.appointment-cancelled.v1', {
            schedule: schedule(),
            appointment: appointment({ bookedBy: undefined }),
          }),
          context,
        ),
      );
      expect(spec.scopes).toEqual(['department:county-hospital:cardiology', 'institution:township-a']);
      expect(spec.people).toEqual({});
    });

    it('carries no patient id nor identity hash', async () => {
      const { data } = await only(
        appointmentChanged('appointment.booked')(
          consumed('countylink.scheduling.appointment-booked.v1', { schedule: schedule(), appointment: appointment() }),
          context,
        ),
      );
      expect(JSON.stringify(data)).not.toMatch(/TA-0001|hmac-of-identity/);
      expect(Object.keys(data).sort()).toEqual(Object.keys(baseNotice).sort());
    });

    it('refuses an event without a schedule, its id or institution, or without an appointment id', () => {
      const map = (init: Init<(typeof EventCatalog)['countylink.scheduling.appointment-booked.v1']['schema']>) => () =>
        appointmentChanged('appointment.booked')(
          consumed('countylink.scheduling.appointment-booked.v1', init),
          context,
        );
      expect(map({ appointment: appointment() })).toThrow(
        new InvalidEventError('event carries no schedule and appointment'),
      );
      expect(map({ schedule: schedule({ id: '' }), appointment: appointment() })).toThrow(InvalidEventError);
      expect(map({ schedule: schedule({ institutionId: '' }), appointment: appointment() })).toThrow(InvalidEventError);
      expect(map({ schedule: schedule() })).toThrow(InvalidEventError);
      expect(map({ schedule: schedule(), appointment: appointment({ id: '' }) })).toThrow(InvalidEventError);
    });
  });

  describe('waitlist offered', () => {
    const offered = (
      overrides: Init<(typeof EventCatalog)['countylink.scheduling.waitlist-offered.v1']['schema']> = {},
    ) =>
      consumed('countylink.scheduling.waitlist-offered.v1', {
        schedule: schedule(),
        appointment: appointment({ bookedBy: { subject: 'county-coordinator', institutionId: 'county-hospital' } }),
        entry: {
          id: 'wl-1',
          scheduleId: 'sch-1',
          referralId: 'ref-1',
          institutionId: 'township-a',
          requestedBySubject: 'township-a-doctor',
        },
        freedByAppointmentId: 'app-0',
        ...overrides,
      });

    it('tells the doctor who waited as well, under their waitlist institution', async () => {
      const spec = await only(waitlistOffered(offered(), context));
      expect(spec).toEqual({
        type: 'appointment.offered-from-waitlist',
        subject: { type: 'appointment', id: 'app-1' },
        data: baseNotice,
        scopes: [
          'department:county-hospital:cardiology',
          'institution:township-a',
          'user:county-coordinator',
          'user:township-a-doctor',
        ],
        people: { 'county-coordinator': 'county-hospital', 'township-a-doctor': 'township-a' },
        at: TIME,
      });
    });

    it('tells nobody more when the entry names no requester', async () => {
      const spec = await only(
        waitlistOffered(
          offered({ entry: { id: 'wl-1', institutionId: 'township-a', requestedBySubject: '' } }),
          context,
        ),
      );
      expect(spec.scopes).toEqual([
        'department:county-hospital:cardiology',
        'institution:township-a',
        'user:county-coordinator',
      ]);
      const noEntry = await only(waitlistOffered(offered({ entry: undefined }), context));
      expect(noEntry.people).toEqual({ 'county-coordinator': 'county-hospital' });
    });

    it('refuses an offer without its appointment', () => {
      expect(() => waitlistOffered(offered({ appointment: undefined }), context)).toThrow(InvalidEventError);
    });
  });

  describe('who is told', () => {
    it('never sends an appointment’s patient to an institution other than the provider, the patient’s and the booker’s', async () => {
      const results = [
        appointmentChanged('appointment.booked')(
          consumed('countylink.scheduling.appointment-booked.v1', { schedule: schedule(), appointment: appointment() }),
          context,
        ),
        appointmentChanged('appointment.cancelled')(
          consumed('countylink.scheduling.appointment-cancelled.v1', {
            schedule: schedule({ departmentId: 'neurology' }),
            appointment: appointment({
              patientInstitutionId: 'township-b',
              bookedBy: { subject: 'township-b-doctor', institutionId: 'township-b' },
            }),
          }),
          context,
        ),
        waitlistOffered(
          consumed('countylink.scheduling.waitlist-offered.v1', {
            schedule: schedule(),
            appointment: appointment(),
            entry: { institutionId: 'township-a', requestedBySubject: 'township-a-doctor' },
          }),
          context,
        ),
      ];
      const reached: string[][] = [];
      for (const result of results) {
        const spec = await only(result);
        const notice = spec.data as AppointmentNotice;
        const allowed = [notice.institutionId, notice.patientInstitutionId];
        for (const institution of institutionsReached(spec)) expect(allowed).toContain(institution);
        reached.push(institutionsReached(spec));
      }
      expect(reached[0]).not.toContain('township-b');
      expect(reached[1]).not.toContain('township-a');
    });
  });
});
