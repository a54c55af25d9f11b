import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { Topics } from '@countylink/contracts';
import { AppJobs, appJobsToken } from '@countylink/persistence';
import { createTestDatabase, EventCollector, TestApp, waitFor } from '@countylink/testing';
import { SCHEDULING_DATA_SOURCE } from '../../apps/specialist-slots/src/specialist-slots.constants';
import {
  act,
  book,
  counts,
  makeReleaseDue,
  openReferral,
  publishOk,
  session,
  slotsDb,
  startRegistryAndSlots,
  startSlotsOnly,
} from './slots-fixtures';

/**
 * Must show 3: unbooked reserve goes to the general pool exactly once at the release time, also
 * when no instance ran at that moment and two come back together afterwards.
 */
describe('release of unbooked reserve', () => {
  let events: EventCollector;
  let databaseUrl: string;
  let keysDir: string;
  const running: TestApp[] = [];
  const env = { SCHEDULING_RELEASE_LEAD_MINUTES: '60' };

  beforeAll(async () => {
    events = await EventCollector.start(process.env.TEST_KAFKA_BROKERS!, [Topics.scheduling]);
    databaseUrl = await createTestDatabase(process.env.TEST_PG_ADMIN_URL!);
    keysDir = mkdtempSync(join(tmpdir(), 'countylink-keys-'));
  });
  afterAll(async () => {
    for (const t of running) await t.close();
    await events?.stop();
  });

  it('releases each schedule once after downtime, with two instances coming back, one event each', async () => {
    const first = await startRegistryAndSlots({ databaseUrl, keysDir, kafka: true, env });
    const scheduleId = await publishOk(first, session({ capacity: 100 }, 3));
    const others = await Promise.all(
      Array.from({ length: 10 }, (_, i) => publishOk(first, session({ capacity: 10 + i }, 3))),
    );
    const referral = await openReferral(first);
    const held = await book(first, 'family-doctor-a', { scheduleId, referralId: referral });
    expect(held.status).toBe(201);
    // Release at start − 60 min, two hours from now: nothing moves yet.
    expect(await first.app.get<AppJobs>(appJobsToken(SCHEDULING_DATA_SOURCE)).runner.runDue()).toBe(0);
    expect(await counts(first, scheduleId)).toMatchObject({
      reserved_capacity: 20,
      reserved_booked: 1,
      reserve_released: false,
    });
    await first.close();

    // Nothing runs while the release time passes.
    const db = new Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      for (const id of [scheduleId, ...others]) await makeReleaseDue(db, id);
    } finally {
      await db.end();
    }

    const [b1, b2] = await Promise.all([
      startSlotsOnly({ databaseUrl, keysDir, kafka: true, env }),
      startSlotsOnly({ databaseUrl, keysDir, kafka: true, env }),
    ]);
    running.push(b1, b2);
    await waitFor('every due release done', async () => {
      const [{ n }] = await slotsDb(b1).query(
        `SELECT count(*)::int AS n FROM scheduling.scheduled_job WHERE kind = 'scheduling.release-reserve'`,
      );
      return n === 0;
    });
    expect(await counts(b1, scheduleId)).toMatchObject({
      capacity: 100,
      reserved_capacity: 1,
      reserved_booked: 1,
      reserve_released: true,
      released_unused: 19,
    });
    for (const [i, id] of others.entries()) {
      expect(await counts(b1, id)).toMatchObject({
        reserved_capacity: 0,
        released_unused: Math.ceil((10 + i) * 0.2),
        reserve_released: true,
      });
    }

    // After the release: a reserved booking is refused, a general one gets a freed place, a cancelled reserved place goes to the general pool.
    const late = await book(b2, 'family-doctor-a', { scheduleId, referralId: referral, pool: 'reserved' });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('SCHEDULING_RESERVE_RELEASED');
    expect((await act(b2, 'family-doctor-a', held.body.id, 'cancel', { reason: '改期' })).status).toBe(200);
    expect(await counts(b1, scheduleId)).toMatchObject({ reserved_capacity: 0, reserved_booked: 0, general_booked: 0 });
    const slots = await fetch(`${b1.url}/api/schedules/${scheduleId}`, {
      headers: { authorization: `Bearer ${await b1.token('township-a-doctor')}` },
    });
    expect(((await slots.json()) as { pools: { general: { capacity: number } } }).pools.general.capacity).toBe(100);

    // The cancellation comes after the release on the same key, so once it arrived every release of this schedule has.
    await waitFor('the cancellation event', () =>
      events.forKey(scheduleId).some((e) => e.type === 'countylink.scheduling.appointment-cancelled.v1'),
    );
    await waitFor('a release event per schedule', () =>
      [scheduleId, ...others].every((id) =>
        events.forKey(id).some((e) => e.type === 'countylink.scheduling.reserve-released.v1'),
      ),
    );
    for (const id of [scheduleId, ...others]) {
      expect(events.forKey(id).filter((e) => e.type === 'countylink.scheduling.reserve-released.v1')).toHaveLength(1);
    }
    const release = events.forKey(scheduleId).find((e) => e.type === 'countylink.scheduling.reserve-released.v1')!;
    expect(release.payload).toMatchObject({
      released: 19,
      schedule: { reserveReleased: true, reservedCapacity: 1, generalCapacity: 99, releasedUnused: 19 },
    });
  });
});
