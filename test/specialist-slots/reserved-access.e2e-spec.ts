import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { AppointmentStatus, EventPayload, Pool, Topics } from '@countylink/contracts';
import { EventCollector, TestApp, waitFor } from '@countylink/testing';
import { metricValue } from '../messaging/fault-drill-fixtures';
import { act as referralAct } from '../referral-registry/referral-fixtures';
import {
  act,
  bearer,
  book,
  counts,
  familyDoctorB,
  knownToSlots,
  makeReleaseDue,
  openReferral,
  publish,
  publishOk,
  session,
  slotsDb,
  startRegistryAndSlots,
} from './slots-fixtures';

/** Must show 2, 4 and 5 over the mock Kafka cluster: who may take reserved places, the waitlist, the floor and the KPIs. */
describe('reserved places for family-doctor referrals', () => {
  let t: TestApp;
  let events: EventCollector;

  beforeAll(async () => {
    events = await EventCollector.start(process.env.TEST_KAFKA_BROKERS!, [Topics.scheduling]);
    t = await startRegistryAndSlots({ kafka: true });
  });
  afterAll(async () => {
    await t?.close();
    await events?.stop();
  });

  async function history(referralId: string) {
    const res = await request(t.url)
      .get(`/api/referrals/${referralId}`)
      .set('Authorization', await bearer(t, 'family-doctor-a'));
    return res.body.history as Array<{ action: string; reason: string | null }>;
  }

  it('refuses a schedule below the policy floor, and reserves ceil(capacity × share)', async () => {
    const below = await publish(t, session({ reservedShare: 0.15 }));
    expect(below.status).toBe(422);
    expect(below.body.error).toMatchObject({
      code: 'SCHEDULING_RESERVED_SHARE_BELOW_FLOOR',
      details: { reservedShare: 0.15, floor: 0.2 },
    });
    expect((await publish(t, session(), 'township-a-doctor')).status).toBe(403);
    const [{ n }] = await slotsDb(t).query('SELECT count(*)::int AS n FROM scheduling.schedule');
    expect(n).toBe(0);

    const res = await publish(t, session({ capacity: 7, externalId: 'HIS-CARD-1' }));
    expect(res.status).toBe(201);
    expect(res.body.pools).toMatchObject({
      reserved: { capacity: 2, booked: 0, available: 2, state: 'open' },
      general: { capacity: 5, available: 5, state: 'open' },
    });
    const again = await publish(
      t,
      session({ capacity: 7, externalId: 'HIS-CARD-1', startsAt: res.body.startsAt, endsAt: res.body.endsAt }),
    );
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(res.body.id);
    const changed = await publish(
      t,
      session({ capacity: 9, externalId: 'HIS-CARD-1', startsAt: res.body.startsAt, endsAt: res.body.endsAt }),
    );
    expect(changed.status).toBe(409);
    const published = await events.waitForKey(res.body.id, 1);
    expect(published[0].type).toBe('countylink.scheduling.schedule-published.v1');
    expect(published[0].payload).toMatchObject({
      schedule: { capacity: 7, reservedCapacity: 2, reservedAtPublication: 2 },
    });
  });

  it('lets only a family doctor with an open referral of their institution to that department take a reserved place', async () => {
    const scheduleId = await publishOk(t, session({ capacity: 10 }));
    const mine = await openReferral(t);
    const otherInstitution = await openReferral(t, 'township-b-doctor', {
      patient: { patientId: 'TB-1', name: '钱七', sex: 'male' },
    });
    const neurology = await openReferral(t, 'family-doctor-a', { toDepartmentId: 'neurology' });
    const cancelled = await openReferral(t);
    expect((await referralAct(t, 'family-doctor-a', cancelled, 'cancel', { reason: '患者拒绝转诊' })).status).toBe(200);
    await knownToSlots(t, cancelled, 'cancelled');

    const cases: Array<[string | typeof familyDoctorB, object, number, string]> = [
      ['township-a-doctor', { referralId: mine, pool: 'reserved' }, 403, 'SCHEDULING_RESERVED_NEEDS_FAMILY_DOCTOR'],
      [
        'family-doctor-a',
        { pool: 'reserved', patient: { patientId: 'TA-9', name: '孙八', sex: 'male' } },
        422,
        'SCHEDULING_REFERRAL_REQUIRED',
      ],
      ['family-doctor-a', { referralId: otherInstitution }, 422, 'SCHEDULING_NO_OPEN_REFERRAL'],
      ['family-doctor-a', { referralId: randomUUID() }, 422, 'SCHEDULING_NO_OPEN_REFERRAL'],
      [familyDoctorB, { referralId: mine }, 422, 'SCHEDULING_NO_OPEN_REFERRAL'],
      ['family-doctor-a', { referralId: neurology }, 422, 'SCHEDULING_REFERRAL_OTHER_DEPARTMENT'],
      ['family-doctor-a', { referralId: cancelled }, 422, 'SCHEDULING_REFERRAL_CLOSED'],
      ['group-admin', { referralId: mine, pool: 'reserved' }, 403, 'FORBIDDEN'],
    ];
    for (const [who, body, status, code] of cases) {
      const res = await book(t, who, { scheduleId, ...body });
      expect({ who, status: res.status, code: res.body.error?.code }).toEqual({ who, status, code });
    }
    // The same referral id from another institution and an unknown id are answered alike: ids cannot be probed.
    const [foreign, unknown] = await Promise.all([
      book(t, 'family-doctor-a', { scheduleId, referralId: otherInstitution }),
      book(t, 'family-doctor-a', { scheduleId, referralId: randomUUID() }),
    ]);
    expect(foreign.body.error.message).toBe(unknown.body.error.message);
    expect(await counts(t, scheduleId)).toMatchObject({ reserved_booked: 0, general_booked: 0, version: 1 });

    const ok = await book(t, 'family-doctor-a', { scheduleId, referralId: mine });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({
      pool: 'reserved',
      status: 'booked',
      referralId: mine,
      patient: { institutionId: 'township-a' },
    });
    expect(ok.body.schedule.pools.reserved).toMatchObject({ booked: 1, available: 1 });
    const [booked] = await events
      .waitForKey(scheduleId, 2)
      .then((e) => e.filter((x) => x.type === 'countylink.scheduling.appointment-booked.v1'));
    expect(booked.payload).toMatchObject({
      appointment: { id: ok.body.id, referralId: mine, pool: Pool.RESERVED, status: AppointmentStatus.BOOKED },
    });
    const h = await waitFor('the appointment in the referral history', async () => {
      const rows = await history(mine);
      return rows.some((r) => r.action === 'appointment-booked') ? rows : undefined;
    });
    expect(h.find((r) => r.action === 'appointment-booked')!.reason).toContain(`appointment ${ok.body.id}`);

    // A booking without a referral leaves the registry nothing to record: acknowledged with no transaction, no inbox row.
    const group = { group: 'referral-registry.appointments' };
    const skippedBefore = await metricValue(t.url, 'countylink_events_skipped_total', group);
    const walkIn = await book(t, 'his-township-a', {
      scheduleId,
      pool: 'general',
      patient: { patientId: 'TA-W1', name: '郑', sex: 'female' },
    });
    expect(walkIn.status).toBe(201);
    await waitFor('the walk-in booking skipped by the registry', async () =>
      (await metricValue(t.url, 'countylink_events_skipped_total', group)) > skippedBefore ? true : undefined,
    );
    const bookedIds = (await events.waitForKey(scheduleId, 3))
      .filter((x) => x.type === 'countylink.scheduling.appointment-booked.v1')
      .map((x) => ({
        appointment: (x.payload as EventPayload<'countylink.scheduling.appointment-booked.v1'>).appointment!.id,
        event: x.headers.ce_id,
      }));
    const inbox = (await slotsDb(t).query(
      `SELECT event_id FROM referral.inbox_entry WHERE consumer_group = $1 AND event_id = ANY($2::text[])`,
      [group.group, bookedIds.map((b) => b.event)],
    )) as Array<{ event_id: string }>;
    expect(inbox.map((r) => r.event_id)).toEqual([bookedIds.find((b) => b.appointment === ok.body.id)!.event]);
    expect(
      (
        await request(t.url)
          .get(`/api/appointments/${ok.body.id}`)
          .set('Authorization', await bearer(t, 'township-b-doctor'))
      ).status,
    ).toBe(404);
  });

  it('opens reserved places earlier than general ones, and answers a full pool with alternatives', async () => {
    const early = await publishOk(t, session({ capacity: 5 }, 10 * 24));
    const referral = await openReferral(t);
    const general = await book(t, 'his-township-a', {
      scheduleId: early,
      pool: 'general',
      patient: { patientId: 'TA-1', name: '周一', sex: 'male' },
    });
    expect(general.status).toBe(409);
    expect(general.body.error.code).toBe('SCHEDULING_POOL_NOT_OPEN');
    expect((await book(t, 'family-doctor-a', { scheduleId: early, referralId: referral })).status).toBe(201);

    const full = await publishOk(
      t,
      session({ capacity: 5, departmentId: 'neurology', practitionerId: 'county-neurology' }, 30),
    );
    const next = await publishOk(
      t,
      session({ capacity: 5, departmentId: 'neurology', practitionerId: 'county-neurology' }, 54),
    );
    for (let i = 0; i < 4; i++) {
      expect(
        (
          await book(t, 'his-township-a', {
            scheduleId: full,
            patient: { patientId: `TA-N${i}`, name: '吴', sex: 'female' },
          })
        ).status,
      ).toBe(201);
    }
    const refused = await book(t, 'his-township-a', {
      scheduleId: full,
      patient: { patientId: 'TA-N9', name: '吴', sex: 'female' },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({
      code: 'SCHEDULING_POOL_FULL',
      details: { scheduleId: full, pool: 'general' },
      userMessage: '该号源已约满，请选择其他时段或加入候补',
    });
    expect(refused.body.error.details.alternatives.map((s: { id: string }) => s.id)).toEqual([next]);
  });

  it('hands a cancelled reserved place to the first waiting referral, with its events, in the referral history', async () => {
    const scheduleId = await publishOk(
      t,
      session({ capacity: 5, departmentId: 'orthopaedics', practitionerId: 'county-ortho' }),
    );
    const first = await openReferral(t, 'family-doctor-a', { toDepartmentId: 'orthopaedics' });
    const waiting = await openReferral(t, 'family-doctor-a', { toDepartmentId: 'orthopaedics' });
    const held = await book(t, 'family-doctor-a', { scheduleId, referralId: first });
    expect(held.status).toBe(201);
    const full = await book(t, 'family-doctor-a', { scheduleId, referralId: waiting });
    expect(full.status).toBe(409);
    expect(full.body.error.details.waitlist).toContain('/api/waitlist');
    const joined = await request(t.url)
      .post('/api/waitlist')
      .set('Authorization', await bearer(t, 'family-doctor-a'))
      .send({ scheduleId, referralId: waiting });
    expect(joined.status).toBe(201);
    expect(joined.body).toMatchObject({ status: 'waiting', position: 1 });

    const cancel = await act(t, 'family-doctor-a', held.body.id, 'cancel', { reason: '患者改期' });
    expect(cancel.status).toBe(200);
    expect(await counts(t, scheduleId)).toMatchObject({ reserved_booked: 1 });
    const [handed] = await slotsDb(t).query(
      `SELECT id, referral_id, from_waitlist, status FROM scheduling.appointment WHERE schedule_id = $1 AND referral_id = $2`,
      [scheduleId, waiting],
    );
    expect(handed).toMatchObject({ from_waitlist: true, status: 'booked' });

    const stream = await events.waitForKey(scheduleId, 6);
    expect(stream.map((e) => e.type)).toEqual([
      'countylink.scheduling.schedule-published.v1',
      'countylink.scheduling.appointment-booked.v1',
      'countylink.scheduling.waitlist-joined.v1',
      'countylink.scheduling.appointment-cancelled.v1',
      'countylink.scheduling.appointment-booked.v1',
      'countylink.scheduling.waitlist-offered.v1',
    ]);
    expect(stream[5].payload).toMatchObject({
      entry: { referralId: waiting },
      appointment: { id: handed.id, referralId: waiting, fromWaitlist: true },
      freedByAppointmentId: held.body.id,
    });
    const h = await waitFor('handoff in the waiting referral history', async () => {
      const rows = await history(waiting);
      return rows.some((r) => r.action === 'appointment-booked') ? rows : undefined;
    });
    expect(h.map((r) => r.action)).toEqual(['create', 'appointment-booked']);
    await waitFor('cancellation in the first referral history', async () =>
      (await history(first)).some((r) => r.action === 'appointment-cancelled'),
    );
  });

  it('reports reserved, booked through referral, released unused and the share seen within the reservation', async () => {
    const ward = await publishOk(t, {
      kind: 'ward-beds',
      departmentId: 'respiratory',
      startsAt: new Date(Date.now() + 30 * 3_600_000).toISOString(),
      endsAt: new Date(Date.now() + 54 * 3_600_000).toISOString(),
      capacity: 10,
      reservedShare: 0.3,
    });
    const ct = await publishOk(t, {
      kind: 'exam',
      departmentId: 'respiratory',
      modality: 'CT',
      startsAt: new Date(Date.now() + 30 * 3_600_000).toISOString(),
      endsAt: new Date(Date.now() + 32 * 3_600_000).toISOString(),
      capacity: 4,
    });
    const [r1, r2, r3] = await Promise.all(
      [1, 2, 3].map(() => openReferral(t, 'family-doctor-a', { toDepartmentId: 'respiratory' })),
    );
    const a1 = await book(t, 'family-doctor-a', { scheduleId: ward, referralId: r1 });
    const a2 = await book(t, 'family-doctor-a', { scheduleId: ward, referralId: r2 });
    const a3 = await book(t, 'family-doctor-a', { scheduleId: ward, referralId: r3, pool: 'general' });
    expect([a1.status, a2.status, a3.status]).toEqual([201, 201, 201]);
    expect(a3.body.pool).toBe('general');
    expect((await act(t, 'county-coordinator', a1.body.id, 'attend')).status).toBe(200);
    expect((await act(t, 'his-county', a2.body.id, 'no-show')).status).toBe(200);
    expect((await act(t, 'family-doctor-a', a2.body.id, 'attend')).status).toBe(403);

    await makeReleaseDue(slotsDb(t), ward);
    await makeReleaseDue(slotsDb(t), ct);
    await waitFor(
      'both releases',
      async () => (await counts(t, ward)).reserve_released && (await counts(t, ct)).reserve_released,
    );

    const res = await request(t.url)
      .get('/api/kpis/reserved-capacity')
      .set('Authorization', await bearer(t, 'group-admin'));
    expect(res.status).toBe(200);
    const rows = res.body.rows.filter((r: { departmentId: string }) => r.departmentId === 'respiratory');
    expect(rows).toEqual([
      {
        institutionId: 'county-hospital',
        departmentId: 'respiratory',
        kind: 'exam',
        schedules: 1,
        capacity: 4,
        reserved: 1,
        reservedShare: 0.25,
        bookedThroughReferral: 0,
        releasedUnused: 1,
        referredPatients: 0,
        seenWithinReservation: 0,
        seenWithinReservationShare: null,
      },
      {
        institutionId: 'county-hospital',
        departmentId: 'respiratory',
        kind: 'ward-beds',
        schedules: 1,
        capacity: 10,
        reserved: 3,
        reservedShare: 0.3,
        bookedThroughReferral: 2,
        releasedUnused: 1,
        referredPatients: 3,
        seenWithinReservation: 1,
        seenWithinReservationShare: 0.3333,
      },
    ]);
    expect(
      (
        await request(t.url)
          .get('/api/kpis/reserved-capacity')
          .set('Authorization', await bearer(t, 'family-doctor-a'))
      ).status,
    ).toBe(403);
  });
});
