import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Role } from '@countylink/auth';
import { createTestDatabase, TestApp } from '@countylink/testing';
import {
  act,
  book,
  counts,
  openReferral,
  publishOk,
  session,
  slotsDb,
  startRegistryAndSlots,
  startSlotsOnly,
} from './slots-fixtures';

/**
 * Must show 1: 200 concurrent booking attempts over HTTP, spread over two running instances of the
 * slots app on one database, on a session with 20 reserved and 80 general places.
 */
describe('booking under concurrency, two instances', () => {
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    const databaseUrl = await createTestDatabase(process.env.TEST_PG_ADMIN_URL!);
    const keysDir = mkdtempSync(join(tmpdir(), 'countylink-keys-'));
    a = await startRegistryAndSlots({ databaseUrl, keysDir });
    b = await startSlotsOnly({ databaseUrl, keysDir });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('books exactly 20 reserved and 80 general places out of 200 attempts; the rest get 409; nothing goes below zero', async () => {
    const scheduleId = await publishOk(a, session({ capacity: 100, reservedShare: 0.2 }));
    const referrals = await Promise.all(Array.from({ length: 60 }, () => openReferral(a)));

    const familyDoctors = await Promise.all(
      [1, 2, 3].map((n) =>
        a.mint({
          sub: `family-doctor-a${n}`,
          roles: [Role.FamilyDoctor, Role.TownshipDoctor],
          institutionId: 'township-a',
          departmentId: 'family-doctor-team',
        }),
      ),
    );
    const his = await a.mint({ sub: 'his-county', roles: [Role.HisSystem], institutionId: 'county-hospital' });
    const attempts = [
      ...referrals.map((referralId, i) => ({
        token: familyDoctors[i % 3],
        body: { scheduleId, referralId, pool: 'reserved' },
      })),
      ...Array.from({ length: 140 }, (_, i) => ({
        token: his,
        body: { scheduleId, pool: 'general', patient: { patientId: `CH-${i}`, name: `患者${i}`, sex: 'female' } },
      })),
    ].sort(() => Math.random() - 0.5);

    const results = await Promise.all(
      attempts.map((attempt, i) => {
        const t = i % 2 === 0 ? a : b;
        return fetch(`${t.url}/api/appointments`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${attempt.token}`,
            'content-type': 'application/json',
            'idempotency-key': randomUUID(),
          },
          body: JSON.stringify(attempt.body),
        }).then(async (res) => ({
          status: res.status,
          body: (await res.json()) as { pool?: string; error?: { code: string } },
        }));
      }),
    );

    const booked = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status === 409);
    expect(booked.filter((r) => r.body.pool === 'reserved')).toHaveLength(20);
    expect(booked.filter((r) => r.body.pool === 'general')).toHaveLength(80);
    expect(refused).toHaveLength(100);
    expect(new Set(refused.map((r) => r.body.error?.code))).toEqual(new Set(['SCHEDULING_POOL_FULL']));
    expect(await counts(a, scheduleId)).toMatchObject({
      reserved_capacity: 20,
      reserved_booked: 20,
      general_booked: 80,
    });
    const [{ n }] = await slotsDb(a).query(
      `SELECT count(*)::int AS n FROM scheduling.appointment WHERE schedule_id = $1 AND status = 'booked'`,
      [scheduleId],
    );
    expect(n).toBe(100);

    // Five concurrent cancellations of each reserved booking, over both instances: each gives its place back once.
    const reservedIds: string[] = (
      await slotsDb(a).query(`SELECT id FROM scheduling.appointment WHERE schedule_id = $1 AND pool = 'reserved'`, [
        scheduleId,
      ])
    ).map((r: { id: string }) => r.id);
    const cancels = await Promise.all(
      reservedIds.flatMap((id) =>
        [a, b, a, b, a].map((t) => act(t, 'family-doctor-a', id, 'cancel', { reason: 'test' })),
      ),
    );
    expect(cancels.filter((r) => r.status === 200)).toHaveLength(20);
    expect(
      cancels
        .filter((r) => r.status === 409)
        .every((r) => r.body.error.code === 'SCHEDULING_APPOINTMENT_INVALID_TRANSITION'),
    ).toBe(true);
    expect(await counts(a, scheduleId)).toMatchObject({
      reserved_capacity: 20,
      reserved_booked: 0,
      general_booked: 80,
    });
  });

  it('refuses at the database any write that would overbook or go below zero', async () => {
    const scheduleId = await publishOk(a, session({ capacity: 10 }));
    const db = slotsDb(a);
    await expect(
      db.query(`UPDATE scheduling.schedule SET reserved_booked = -1 WHERE id = $1`, [scheduleId]),
    ).rejects.toThrow(/ck_schedule_reserved_booked/);
    await expect(
      db.query(`UPDATE scheduling.schedule SET general_booked = 9 WHERE id = $1`, [scheduleId]),
    ).rejects.toThrow(/ck_schedule_general_booked/);
    await expect(
      db.query(`UPDATE scheduling.schedule SET reserved_booked = 3 WHERE id = $1`, [scheduleId]),
    ).rejects.toThrow(/ck_schedule_reserved_booked/);
  });

  it('replays a booking retried with the same Idempotency-Key instead of taking a second place', async () => {
    const scheduleId = await publishOk(a, session({ capacity: 10 }));
    const body = { scheduleId, pool: 'general', patient: { patientId: 'TA-777', name: '赵六', sex: 'male' } };
    const [x, y] = await Promise.all([
      book(a, 'his-township-a', body, 'booking-key-0001'),
      book(b, 'his-township-a', body, 'booking-key-0001'),
    ]);
    expect([x.status, y.status]).toEqual([201, 201]);
    expect(x.body.id).toBe(y.body.id);
    expect((await counts(a, scheduleId)).general_booked).toBe(1);
    const again = await book(a, 'his-township-a', body);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('SCHEDULING_ALREADY_BOOKED');
    expect((await counts(a, scheduleId)).general_booked).toBe(1);
  });
});
