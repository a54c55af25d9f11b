import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { LadderStep, Topics } from '@countylink/contracts';
import { AppJobs, appJobsToken } from '@countylink/persistence';
import { ApacheKafka, EventCollector, TestApp, waitFor } from '@countylink/testing';
import { startSuiteKafka } from '@countylink/testing/kafka-apache/suite-cluster';
import { REALTIME_DATA_SOURCE } from '../../apps/clinician-realtime/src/clinician-realtime.constants';
import { PAGER, Pager } from '../../apps/clinician-realtime/src/alerts/pager.service';
import { NotificationLog } from '../../apps/clinician-realtime/src/notifications/notification-log.repository';
import type { AckResult, AlertNotice } from '../../apps/clinician-realtime/src/notifications/notification-types';
import { Clinician, createReferral, directoryReplicated, sql, startRealtimeApp, upReferral } from './realtime-fixtures';

const greenChannel = () => upReferral({ urgency: 'emergency', greenChannelCentre: 'chest-pain' });

describe('alerts that climb until a human acknowledges them, across restarts and instances', () => {
  let events: EventCollector;
  const apps: TestApp[] = [];
  const open: Clinician[] = [];
  const keysDir = mkdtempSync(join(tmpdir(), 'countylink-keys-'));
  // An Apache Kafka of this suite's own: a new consumer group on the shared one would first work
  // through every other suite's events, which delays timed steps and holds up a second member's join.
  let cluster: ApacheKafka;

  const boot = async (env: Record<string, string>, databaseUrl?: string, groupPrefix?: string) => {
    const t = await startRealtimeApp({ env, keysDir, databaseUrl, groupPrefix, kafka: cluster.bootstrapServers });
    apps.push(t);
    return t;
  };
  const stop = async (t: TestApp) => {
    apps.splice(apps.indexOf(t), 1);
    await t.close();
  };
  const connect = async (t: TestApp, login: string) => {
    const c = await Clinician.connect(t.url, { token: await t.token(login) });
    open.push(c);
    return c;
  };
  const alertEvents = (alertId: string, type: string) => events.forKey(alertId).filter((e) => e.type === type);
  const makeDue = (t: TestApp, alertId: string) =>
    sql(
      t.config.DATABASE_URL,
      `UPDATE realtime.scheduled_job SET due_at = now() - interval '1 second' WHERE kind = 'alert.escalate' AND aggregate_id = $1`,
      [alertId],
    );

  beforeAll(async () => {
    cluster = await startSuiteKafka();
    events = await EventCollector.start(cluster.bootstrapServers, [Topics.notification]);
  });
  afterAll(async () => {
    for (const c of open) c.close();
    for (const t of [...apps]) await t.close().catch(() => undefined);
    await events?.stop();
    await cluster?.stop();
  });

  it('escalates on time to the department head, each step an event and a push; an ack stops the ladder', async () => {
    const t = await boot({ ALERT_ACK_SECONDS_GREEN_CHANNEL: '2', ALERT_ESCALATION_STEP_SECONDS: '2' });
    await directoryReplicated(t);
    const pages = jest.spyOn(t.app.get<Pager>(PAGER), 'send');
    const [onDuty, head, coordinator] = await Promise.all(
      ['county-cardiology', 'county-cardiology-head', 'county-coordinator'].map((l) => connect(t, l)),
    );

    const referralId: string = (await createReferral(t, 'township-a-doctor', greenChannel())).body.id;
    await onDuty.waitFor('raised', (f) =>
      f.some((x) => x.type === 'alert.raised' && (x.data as AlertNotice).subjectId === referralId),
    );
    // Other suites share the Kafka cluster: this test's alert is the one about its referral.
    const [raised] = onDuty.of('alert.raised').filter((f) => (f.data as AlertNotice).subjectId === referralId);
    const alertId = raised.subject.id;
    const raisedAt = Date.parse((raised.data as AlertNotice).raisedAt);
    expect(Date.parse((raised.data as AlertNotice).acknowledgeDueAt!) - raisedAt).toBe(2000);

    await head.waitFor('escalated to the head', (f) =>
      f.some((x) => x.type === 'alert.escalated' && x.subject.id === alertId),
    );
    const [escalated] = head.of('alert.escalated', alertId);
    expect(escalated).toMatchObject({
      scope: 'user:county-cardiology-head',
      data: { step: 'department-head', alertId },
    });
    const late = Date.parse(escalated.at) - raisedAt;
    expect(late).toBeGreaterThanOrEqual(2000);
    expect(late).toBeLessThan(3500);
    // The team sees the climb too; the coordinator is not bothered yet.
    await onDuty.waitFor('team sees the climb', (f) =>
      f.some((x) => x.type === 'alert.escalated' && x.subject.id === alertId),
    );
    expect(coordinator.of('alert.escalated', alertId)).toEqual([]);
    const [kafkaEscalation] = await waitFor(
      'escalation event',
      () =>
        alertEvents(alertId, 'countylink.notification.alert-escalated.v1').length === 1 &&
        alertEvents(alertId, 'countylink.notification.alert-escalated.v1'),
    );
    expect(kafkaEscalation.payload).toMatchObject({
      fromStep: LadderStep.ON_DUTY,
      toStep: LadderStep.DEPARTMENT_HEAD,
      pagedMemberIds: ['county-cardiology-head'],
    });

    const acked = (await head.socket.timeout(5_000).emitWithAck('ack', { alertId })) as AckResult;
    expect(acked).toMatchObject({ ok: true, alert: { acknowledgedBy: 'county-cardiology-head' } });
    await onDuty.waitFor('ack reaches the team', (f) =>
      f.some((x) => x.type === 'alert.acknowledged' && x.subject.id === alertId),
    );
    await waitFor(
      'ack event',
      () => alertEvents(alertId, 'countylink.notification.alert-acknowledged.v1').length === 1,
    );
    // Past the next deadline nothing climbs: the ladder's timer is gone.
    expect(
      await sql(
        t.config.DATABASE_URL,
        `SELECT * FROM realtime.scheduled_job WHERE kind = 'alert.escalate' AND aggregate_id = $1`,
        [alertId],
      ),
    ).toEqual([]);
    await t.app.get<AppJobs>(appJobsToken(REALTIME_DATA_SOURCE)).runner.runDue();
    expect(coordinator.of('alert.escalated', alertId)).toEqual([]);
    expect(alertEvents(alertId, 'countylink.notification.alert-escalated.v1')).toHaveLength(1);
    // Pages went out (SMS to the on-duty doctor, a call to the head) as durable jobs: none left waiting.
    await waitFor('pages sent', () => pages.mock.calls.filter(([p]) => p.id.startsWith(alertId)).length === 2);
    expect(
      pages.mock.calls
        .map(([p]) => p)
        .filter((p) => p.id.startsWith(alertId))
        .map((p) => [p.channel, p.memberId]),
    ).toEqual([
      ['sms', 'county-cardiology'],
      ['phone', 'county-cardiology-head'],
    ]);
    expect(
      await sql(
        t.config.DATABASE_URL,
        `SELECT * FROM realtime.scheduled_job WHERE kind = 'alert.page' AND aggregate_id LIKE $1`,
        [`${alertId}:%`],
      ),
    ).toEqual([]);
    await stop(t);
  });

  it('neither loses nor repeats a step when the app stops mid-ladder, nor with two instances on one timer', async () => {
    const env = { ALERT_ACK_SECONDS_GREEN_CHANNEL: '600', ALERT_ESCALATION_STEP_SECONDS: '600' };
    const groupPrefix = `test-${randomBytes(4).toString('hex')}`;
    const a = await boot(env, undefined, groupPrefix);
    const db = a.config.DATABASE_URL;
    await directoryReplicated(a);
    const referralId: string = (await createReferral(a, 'township-b-doctor', greenChannel())).body.id;
    const [{ id: alertId }] = await waitFor('alert', async () => {
      const rows = await sql<{ id: string }>(db, 'SELECT id FROM realtime.alert WHERE subject_id = $1', [referralId]);
      return rows.length === 1 && rows;
    });

    // Down while the first deadline passes.
    await stop(a);
    await makeDue(a, alertId);
    const b = await boot(env, db, groupPrefix);
    await waitFor(
      'escalated once after the restart',
      () => alertEvents(alertId, 'countylink.notification.alert-escalated.v1').length === 1,
    );
    // Connected only after its own step was recorded, so what it is pushed from now on is the next step.
    const head = await connect(b, 'county-cardiology-head');
    const [job] = await sql<{ payload: { step: string }; due_at: Date }>(
      db,
      `SELECT payload, due_at FROM realtime.scheduled_job WHERE kind = 'alert.escalate' AND aggregate_id = $1`,
      [alertId],
    );
    expect(job.payload).toEqual({ step: 'department-head' });
    expect(job.due_at.getTime()).toBeGreaterThan(Date.now() + 500_000);

    // A second instance polls the same timers: the next step still happens once.
    const c = await boot(env, db, groupPrefix);
    const coordinator = await connect(c, 'county-coordinator');
    await makeDue(b, alertId);
    await Promise.all([b, c].map((t) => t.app.get<AppJobs>(appJobsToken(REALTIME_DATA_SOURCE)).runner.runDue()));
    await waitFor('second step', () => alertEvents(alertId, 'countylink.notification.alert-escalated.v1').length === 2);
    await coordinator.waitFor('coordinator alerted', (f) =>
      f.some((x) => x.type === 'alert.escalated' && x.subject.id === alertId),
    );
    await Promise.all([b, c].map((t) => t.app.get<AppJobs>(appJobsToken(REALTIME_DATA_SOURCE)).runner.runDue()));
    expect(
      alertEvents(alertId, 'countylink.notification.alert-escalated.v1').map(
        (e) => (e.payload as { toStep: LadderStep }).toStep,
      ),
    ).toEqual([LadderStep.DEPARTMENT_HEAD, LadderStep.COORDINATOR]);
    expect(
      await sql(
        db,
        `SELECT type, count(*)::int AS n FROM realtime.notification WHERE subject_id = $1 GROUP BY type ORDER BY type`,
        [alertId],
      ),
    ).toEqual([
      { type: 'alert.escalated', n: 2 },
      { type: 'alert.raised', n: 1 },
    ]);
    // The top of the ladder: no timer left, the alert stays open for the coordinator to take.
    expect(
      await sql(db, `SELECT * FROM realtime.scheduled_job WHERE kind = 'alert.escalate' AND aggregate_id = $1`, [
        alertId,
      ]),
    ).toEqual([]);
    // Each socket got the steps pushed while it was connected, once: the head (in the team's room)
    // came after its own step, and saw the climb to the coordinator.
    expect(coordinator.of('alert.escalated', alertId)).toHaveLength(1);
    expect(head.of('alert.escalated', alertId).map((f) => (f.data as AlertNotice).step)).toEqual(['coordinator']);
    await stop(c);
    await stop(b);
  });

  it('two instances: a client on either receives what the other consumed, each notification recorded and delivered once', async () => {
    const groupPrefix = `test-${randomBytes(4).toString('hex')}`;
    const a = await boot({}, undefined, groupPrefix);
    const b = await boot({}, a.config.DATABASE_URL, groupPrefix);
    await directoryReplicated(a);
    const recordedBy = [a, b].map((t) => jest.spyOn(t.app.get(NotificationLog), 'recordAll'));
    const onA = await connect(a, 'county-coordinator');
    const onB = await connect(b, 'county-coordinator');
    const ids: string[] = [];
    const consumedBy = () =>
      recordedBy.map(
        (spy) =>
          spy.mock.calls
            .flatMap(([, items]) => items)
            .filter(({ spec }) => spec.type === 'referral.requested' && ids.includes(spec.subject.id)).length,
      );
    // Referrals in batches until both instances have consumed some: on a loaded machine the second
    // member joins the group (and gets its partitions) after the first batch may already be taken.
    while (ids.length < 64) {
      for (let i = 0; i < 8; i++)
        ids.push((await createReferral(i % 2 ? a : b, 'township-c-doctor', upReferral())).body.id);
      await waitFor('the batch consumed', () => consumedBy()[0] + consumedBy()[1] === ids.length);
      if (consumedBy().every((n) => n > 0)) break;
    }
    for (const c of [onA, onB])
      await c.waitFor(
        `${ids.length} referrals`,
        (f) => f.filter((x) => x.type === 'referral.requested' && ids.includes(x.subject.id)).length >= ids.length,
      );

    const mine = new Set(ids);
    const calls = consumedBy();
    expect(calls[0] + calls[1]).toBe(ids.length);
    // Both instances consumed some of them (the group split the partitions between them).
    expect(calls[0]).toBeGreaterThan(0);
    expect(calls[1]).toBeGreaterThan(0);
    for (const c of [onA, onB]) {
      const got = c
        .of('referral.requested')
        .map((f) => f.subject.id)
        .filter((id) => mine.has(id));
      expect([...got].sort()).toEqual([...ids].sort());
    }
    const perEvent = await sql<{ n: number }>(
      a.config.DATABASE_URL,
      `SELECT count(*)::int AS n FROM realtime.notification WHERE type = 'referral.requested' AND subject_id = ANY($1) GROUP BY event_id`,
      [ids],
    );
    expect(perEvent).toHaveLength(ids.length);
    expect(perEvent.every((r) => r.n === 1)).toBe(true);
  });
});
