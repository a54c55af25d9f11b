import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Topics } from '@countylink/contracts';
import { createTestDatabase, EventCollector, waitFor } from '@countylink/testing';
import { ScheduleSeeder } from '../../apps/specialist-slots/src/schedules/schedule.seeder';
import { expandScheduleSeed, readScheduleSeed } from '../../apps/specialist-slots/src/schedules/schedule-seed';
import { publishOk, session, slotsDb, startSlotsOnly } from './slots-fixtures';

const SEED = resolve(__dirname, '../../apps/specialist-slots/seed/demo-schedules.json');

/** The embedded default's two weeks of demo schedules: published once, with events only for what is new. */
describe('demo schedule seed', () => {
  let events: EventCollector;

  beforeAll(async () => {
    events = await EventCollector.start(process.env.TEST_KAFKA_BROKERS!, [Topics.scheduling]);
  });
  afterAll(async () => {
    await events?.stop();
  });

  it('publishes two weeks of county schedules at start, and nothing again on restart', async () => {
    const databaseUrl = await createTestDatabase(process.env.TEST_PG_ADMIN_URL!);
    const keysDir = mkdtempSync(join(tmpdir(), 'countylink-keys-'));
    const options = { databaseUrl, keysDir, kafka: true, env: { SCHEDULE_SEED_FILE: SEED } };
    const expected = expandScheduleSeed(readScheduleSeed(SEED), new Date());
    const kinds = new Set(expected.map((s) => s.kind));
    expect(kinds).toEqual(new Set(['clinic-session', 'ward-beds', 'exam']));

    const first = await startSlotsOnly(options);
    const ids: string[] = (await slotsDb(first).query('SELECT id FROM scheduling.schedule')).map(
      (r: { id: string }) => r.id,
    );
    expect(ids).toHaveLength(expected.length);
    const [{ reserved, capacity }] = await slotsDb(first).query(
      'SELECT sum(reserved_at_publication)::int AS reserved, sum(capacity)::int AS capacity FROM scheduling.schedule',
    );
    expect(reserved / capacity).toBeGreaterThanOrEqual(0.2);
    await first.close();

    const second = await startSlotsOnly(options);
    try {
      const [{ n }] = await slotsDb(second).query('SELECT count(*)::int AS n FROM scheduling.schedule');
      expect(n).toBe(expected.length);
      // Loading the seed again (as every start does) finds every schedule there and publishes nothing.
      expect(await second.app.get(ScheduleSeeder).load(readScheduleSeed(SEED))).toEqual({
        published: 0,
        unchanged: expected.length,
      });
      // Every outbox row is published in id order, so once an event written after both starts arrived, the seed's all had.
      const marker = await publishOk(second, session());
      await events.waitForKey(marker, 1);
      const isSeed = (e: { type: string; key: string | null }) =>
        e.type === 'countylink.scheduling.schedule-published.v1' && ids.includes(e.key!);
      await waitFor(
        'one event per seeded schedule',
        () => new Set(events.events.filter(isSeed).map((e) => e.key)).size === ids.length,
      );
      expect(events.events.filter(isSeed)).toHaveLength(ids.length);
    } finally {
      await second.close();
    }
  });
});
