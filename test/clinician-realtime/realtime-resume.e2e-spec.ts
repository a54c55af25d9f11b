import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { Role } from '@countylink/auth';
import { TestApp, waitFor } from '@countylink/testing';
import {
  act,
  Clinician,
  createReferral,
  directoryReplicated,
  sql,
  startRealtimeApp,
  upReferral,
} from './realtime-fixtures';

describe('live referral updates, green-channel alert and resume', () => {
  let t: TestApp;
  const open: Clinician[] = [];
  const connect = async (login: string, lastSeen?: Record<string, number>) => {
    const c = await Clinician.connect(t.url, {
      token: tokens.get(login) ?? (await t.token(login)),
      ...(lastSeen ? { lastSeen } : {}),
    });
    open.push(c);
    return c;
  };
  // Doctors of this suite only: the Kafka cluster (and so the realtime app's input) is shared with
  // the other suites, whose demo doctors' rooms fill up in parallel.
  const tokens = new Map<string, string>();
  const doctor = async (institutionId: string) => {
    const sub = `dr-${randomUUID().slice(0, 8)}`;
    tokens.set(
      sub,
      await t.mint({ sub, roles: [Role.TownshipDoctor], institutionId, departmentId: 'general-practice' }),
    );
    return sub;
  };
  const refer = (sub: string) =>
    request(t.url)
      .post('/api/referrals')
      .set('Authorization', `Bearer ${tokens.get(sub)}`)
      .set('Idempotency-Key', randomUUID())
      .send(upReferral());

  beforeAll(async () => {
    t = await startRealtimeApp({ env: { REALTIME_RESUME_LIMIT: '25' } });
    await directoryReplicated(t);
  });
  afterAll(async () => {
    for (const c of open) c.close();
    await t?.close();
  });

  it('alerts the receiving department at once when a green-channel referral is created over HTTP', async () => {
    const cardiology = await connect('county-cardiology');
    const neurology = await connect('county-neurology');
    const sender = await connect('township-a-doctor');
    expect(cardiology.ready?.rooms).toEqual([
      'user:county-cardiology',
      'institution:county-hospital',
      'department:county-hospital:cardiology',
    ]);

    const created = await createReferral(
      t,
      'township-a-doctor',
      upReferral({ urgency: 'emergency', greenChannelCentre: 'chest-pain' }),
    );
    expect(created.status).toBe(201);
    const id: string = created.body.id;

    // The Kafka cluster is shared with the other suites: look at this referral's alert only.
    const aboutThis = (c: Clinician) =>
      c.of('alert.raised').filter((f) => (f.data as { subjectId: string }).subjectId === id);
    const alerts = () => aboutThis(cardiology);
    await cardiology.waitFor(
      'alert and referral',
      () => alerts().length === 1 && cardiology.of('referral.requested', id).length === 1,
    );
    const [alert] = alerts();
    expect(alert).toMatchObject({
      scope: 'department:county-hospital:cardiology',
      subject: { type: 'alert' },
      data: { kind: 'green-channel', step: 'on-duty', subjectId: id },
    });
    expect(alert.data).toMatchObject({ summary: expect.stringContaining('chest-pain') });
    await sender.waitFor('sender sees its referral', () => sender.of('referral.requested', id).length === 1);
    // Other suites raise alerts for township A (critical values) in parallel: only this referral's counts.
    expect(aboutThis(sender)).toEqual([]);
    const aboutIt = (c: Clinician) => c.frames.filter((f) => f.subject.id === id || f.subject.id === alert.subject.id);
    expect(aboutIt(neurology)).toEqual([]);
  });

  it('replays exactly the 20 changes a disconnected client missed, in order, once', async () => {
    const me = await doctor('township-b');
    const sender = await connect(me);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await refer(me)).body.id);
    await sender.waitFor('the 4 creations', (f) => f.filter((x) => x.type === 'referral.requested').length === 4);
    const lastSeen = { ...sender.lastSeen };
    sender.close();

    const steps = [
      ['county-coordinator', 'receive'],
      ['county-cardiology', 'accept'],
      ['county-coordinator', 'arrive'],
      ['county-cardiology', 'complete'],
    ] as const;
    for (const id of ids) {
      for (const [login, action] of steps) expect((await act(t, login, id, action)).status).toBe(200);
      const cancel = await request(t.url)
        .post(`/api/referrals/${id}/cancel`)
        .set('Authorization', `Bearer ${tokens.get(me)}`)
        .send({ reason: 'test' });
      expect(cancel.status).toBe(409);
    }
    // 16 transitions; four more referrals make the 20 changes.
    for (let i = 0; i < 4; i++) ids.push((await refer(me)).body.id);
    const room = `user:${me}`;
    await recorded(t.config.DATABASE_URL, room, lastSeen[room] + 20);

    const back = await connect(me, lastSeen);
    expect(back.ready).toMatchObject({ replayed: 20, more: false });
    expect(back.frames).toHaveLength(20);
    expect(back.frames.every((f) => f.replayed === true && f.scope === room)).toBe(true);
    expect(back.frames.map((f) => f.seq)).toEqual(Array.from({ length: 20 }, (_, i) => lastSeen[room] + 1 + i));
    const perReferral = (id: string) => back.frames.filter((f) => f.subject.id === id).map((f) => f.type);
    for (const id of ids.slice(0, 4))
      expect(perReferral(id)).toEqual([
        'referral.received',
        'referral.accepted',
        'referral.arrived',
        'referral.completed',
      ]);
    for (const id of ids.slice(4)) expect(perReferral(id)).toEqual(['referral.requested']);

    // Live again: the next change arrives once, after the replay.
    expect((await act(t, 'county-coordinator', ids[4], 'receive')).status).toBe(200);
    await back.waitFor('live after replay', (f) => f.length === 21);
    expect(back.frames[20]).toMatchObject({ type: 'referral.received', seq: lastSeen[room] + 21 });
    expect(back.frames[20].replayed).toBeUndefined();
  });

  it('replays at most the configured number and leaves the rest to GET /api/notifications', async () => {
    const me = await doctor('township-c');
    const c = await connect(me);
    const lastSeen = { ...c.lastSeen };
    c.close();
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push((await refer(me)).body.id);
    const room = `user:${me}`;
    await recorded(t.config.DATABASE_URL, room, lastSeen[room] + 30);

    const back = await connect(me, lastSeen);
    expect(back.ready).toMatchObject({ replayed: 25, more: true });
    // Referrals are independent aggregates (Kafka keys): their order is the room's seq order.
    expect(back.frames.map((f) => f.seq)).toEqual(Array.from({ length: 25 }, (_, i) => lastSeen[room] + 1 + i));
    const token = tokens.get(me)!;
    const rest = await request(t.url)
      .get('/api/notifications')
      .query({ after: back.ready!.after, until: back.ready!.until })
      .set('Authorization', `Bearer ${token}`);
    expect(rest.status).toBe(200);
    expect(rest.body).toMatchObject({ more: false });
    expect(rest.body.items.map((f: { seq: number }) => f.seq)).toEqual(
      [26, 27, 28, 29, 30].map((i) => lastSeen[room] + i),
    );
    const all = [...back.frames, ...rest.body.items].map((f: { subject: { id: string } }) => f.subject.id);
    expect([...all].sort()).toEqual([...ids].sort());

    const bad = await request(t.url)
      .get('/api/notifications')
      .query({ after: 'not-a-cursor' })
      .set('Authorization', `Bearer ${token}`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('NOTIFICATION_INVALID_CURSOR');
  });
});

/** The changes are recorded (consumed from Kafka) before the client comes back. */
async function recorded(databaseUrl: string, room: string, seq: number): Promise<void> {
  await waitFor(
    `${room} at ${seq}`,
    async () => {
      const rows = await sql<{ last_seq: string }>(
        databaseUrl,
        'SELECT last_seq FROM realtime.notification_stream WHERE scope = $1',
        [room],
      );
      return Number(rows[0]?.last_seq ?? 0) >= seq;
    },
    30_000,
  );
}
