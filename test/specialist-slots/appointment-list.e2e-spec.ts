import request from 'supertest';
import { TestApp } from '@countylink/testing';
import { act, bearer, book, openReferral, publishOk, session, startRegistryAndSlots } from './slots-fixtures';

/** GET /api/appointments: what a booking screen lists to cancel, scoped like GET /api/appointments/:id. */
describe('listing appointments', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startRegistryAndSlots();
  });
  afterAll(async () => {
    await t?.close();
  });

  const list = async (login: string, query = '') =>
    request(t.url)
      .get(`/api/appointments${query}`)
      .set('Authorization', await bearer(t, login));

  it('shows the booking and the providing institution their appointments, soonest first, and nobody else', async () => {
    const later = await publishOk(t, session({}, 72));
    const sooner = await publishOk(t, session({}, 48));
    const referral = await openReferral(t);
    const reserved = await book(t, 'family-doctor-a', { scheduleId: later, referralId: referral });
    expect(reserved.status).toBe(201);
    const general = await book(t, 'family-doctor-a', {
      scheduleId: sooner,
      pool: 'general',
      patient: { patientId: 'TA-77', name: '周九', sex: 'female' },
    });
    expect(general.status).toBe(201);

    const mine = await list('family-doctor-a');
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((a: { id: string }) => a.id)).toEqual([general.body.id, reserved.body.id]);
    expect(mine.body.items[1]).toMatchObject({
      pool: 'reserved',
      referralId: referral,
      schedule: { id: later, pools: { reserved: { booked: 1 } } },
    });

    // The providing department sees them too; another township sees none of them.
    expect((await list('county-cardiology')).body.items).toHaveLength(2);
    expect((await list('township-b-doctor')).body.items).toEqual([]);
    expect((await list('group-admin')).body.items).toHaveLength(2);

    // Filters: by schedule, by referral, by status.
    expect((await list('family-doctor-a', `?scheduleId=${later}`)).body.items.map((a: { id: string }) => a.id)).toEqual(
      [reserved.body.id],
    );
    expect((await list('family-doctor-a', `?referralId=${referral}`)).body.items).toHaveLength(1);
    expect((await act(t, 'family-doctor-a', general.body.id, 'cancel', { reason: '患者改期' })).status).toBe(200);
    expect((await list('family-doctor-a', '?status=booked')).body.items.map((a: { id: string }) => a.id)).toEqual([
      reserved.body.id,
    ]);
    expect(
      (await list('family-doctor-a', '?status=cancelled,attended')).body.items.map((a: { id: string }) => a.id),
    ).toEqual([general.body.id]);
    expect((await list('family-doctor-a', '?status=lost')).status).toBe(400);
  });
});
