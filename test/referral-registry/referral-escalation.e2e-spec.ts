import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { getDataSourceToken } from '@nestjs/typeorm';
import { Role } from '@countylink/auth';
import { GreenChannelCentre, Topics } from '@countylink/contracts';
import { AppJobs, appJobsToken } from '@countylink/persistence';
import { EventCollector, TestApp, waitFor } from '@countylink/testing';
import { REFERRAL_DATA_SOURCE } from '../../apps/referral-registry/src/referral-registry.constants';
import { act, createReferral, startReferralApp, upReferral } from './referral-fixtures';

describe('green channel and durable escalation', () => {
  let events: EventCollector;
  const apps: TestApp[] = [];
  const keysDir = mkdtempSync(join(tmpdir(), 'countylink-keys-'));
  let databaseUrl: string;

  const boot = async () => {
    const t = await startReferralApp({
      kafka: true,
      databaseUrl,
      keysDir,
      env: { REFERRAL_RESPONSE_MINUTES_EMERGENCY: '5' },
    });
    apps.push(t);
    databaseUrl = t.config.DATABASE_URL;
    return t;
  };
  const ds = (t: TestApp) => t.app.get<DataSource>(getDataSourceToken(REFERRAL_DATA_SOURCE));
  /** Time passes: the referral's response deadline (or its next escalation step) is now behind us. */
  const makeDue = async (id: string) => {
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query(
      `UPDATE referral.scheduled_job SET due_at = now() - interval '1 second' WHERE aggregate_id = $1`,
      [id],
    );
    await client.end();
  };
  const escalations = (id: string) => events.forKey(id).filter((e) => e.type === 'countylink.referral.escalated.v1');

  beforeAll(async () => {
    events = await EventCollector.start(process.env.TEST_KAFKA_BROKERS!, [Topics.referral]);
  });
  afterAll(async () => {
    for (const t of apps) await t.close().catch(() => undefined);
    await events?.stop();
  });

  it('alerts at once, escalates when unanswered — across a restart and with two instances — exactly once per step', async () => {
    const a = await boot();
    const created = await createReferral(
      a,
      'township-a-doctor',
      upReferral({ urgency: 'emergency', greenChannelCentre: 'chest-pain' }),
    );
    expect(created.status).toBe(201);
    const id: string = created.body.id;
    const dueIn = Date.parse(created.body.responseDueAt) - Date.parse(created.body.createdAt);
    expect(dueIn).toBe(5 * 60_000);

    const [requested, alerted] = await events.waitForKey(id, 2);
    expect(requested.type).toBe('countylink.referral.requested.v1');
    expect(alerted.type).toBe('countylink.referral.green-channel-alerted.v1');
    expect(alerted.payload).toMatchObject({
      centre: GreenChannelCentre.CHEST_PAIN,
      referral: { id, toDepartmentId: 'cardiology' },
    });

    // The process stops before the deadline; the deadline passes while it is down.
    await a.close();
    apps.splice(apps.indexOf(a), 1);
    await makeDue(id);

    const b = await boot();
    await waitFor('first escalation', () => escalations(id).length === 1);
    expect(escalations(id)[0].payload).toMatchObject({ level: 1, escalatedToRole: 'department-on-duty' });
    const [job] = await ds(b).query(`SELECT due_at, payload FROM referral.scheduled_job WHERE aggregate_id = $1`, [id]);
    expect(job.payload).toEqual({ level: 1 });
    expect(new Date(job.due_at).getTime()).toBeGreaterThan(Date.now());

    // Two instances poll the same job table: the next step still happens once.
    const c = await boot();
    await makeDue(id);
    await waitFor('second escalation', () => escalations(id).length === 2);
    await Promise.all([b, c].map((t) => t.app.get<AppJobs>(appJobsToken(REFERRAL_DATA_SOURCE)).runner.runDue()));
    expect(escalations(id).map((e) => (e.payload as { level: number }).level)).toEqual([1, 2]);

    const history = await request(c.url)
      .get(`/api/referrals/${id}`)
      .set('Authorization', `Bearer ${await c.token('county-coordinator')}`);
    expect(history.body.history.filter((h: { action: string }) => h.action === 'escalate')).toHaveLength(2);
    expect(history.body.escalationLevel).toBe(2);

    // An answer stops the ladder.
    expect((await act(c, 'county-coordinator', id, 'receive')).status).toBe(200);
    expect((await act(c, 'county-cardiology', id, 'accept')).status).toBe(200);
    expect(await ds(c).query(`SELECT * FROM referral.scheduled_job WHERE aggregate_id = $1`, [id])).toEqual([]);
  });

  it('lets exactly one of two coordinators accepting at the same moment succeed', async () => {
    const t = apps[0] ?? (await boot());
    const id = (await createReferral(t, 'township-b-doctor', upReferral())).body.id;
    expect((await act(t, 'county-coordinator', id, 'receive')).status).toBe(200);
    const second = await t.mint({
      sub: 'county-coordinator-2',
      roles: [Role.ReferralCoordinator],
      institutionId: 'county-hospital',
    });
    const accepts = await Promise.all(
      Array.from({ length: 10 }, async (_, i) =>
        i % 2
          ? act(t, 'county-coordinator', id, 'accept')
          : request(t.url).post(`/api/referrals/${id}/accept`).set('Authorization', `Bearer ${second}`).send({}),
      ),
    );
    expect(accepts.map((r) => r.status).sort()).toEqual([200, ...Array(9).fill(409)]);
    const got = await request(t.url).get(`/api/referrals/${id}`).set('Authorization', `Bearer ${second}`);
    expect(got.body.history.filter((h: { action: string }) => h.action === 'accept')).toHaveLength(1);
    expect(got.body.version).toBe(3);
  });
});
