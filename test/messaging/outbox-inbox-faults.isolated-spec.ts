import { randomBytes, randomUUID } from 'node:crypto';
import { create, toBinary } from '@bufbuild/protobuf';
import { getDataSourceToken } from '@nestjs/typeorm';
import { Kafka, logLevel } from 'kafkajs';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { deadLetterTopic, EventType, ReferralRequestedSchema, Topics } from '@countylink/contracts';
import { DLQ_REASON_HEADER, KafkaTransport, toHeaders } from '@countylink/messaging';
import { ApacheKafka, createTestDatabase, EventCollector, sql, TestApp, waitFor } from '@countylink/testing';
import {
  busiestLeader,
  startThreeNodeCluster,
  waitForPartitions,
} from '@countylink/testing/kafka-apache/suite-cluster';
import { NOTIFICATION_GROUP } from '../../apps/clinician-realtime/src/notifications/notification.consumer';
import { REFERRAL_DATA_SOURCE } from '../../apps/referral-registry/src/referral-registry.constants';
import { act, createReferral, startReferralApp, upReferral } from '../referral-registry/referral-fixtures';
import {
  AppProcess,
  copiesOf,
  groupAssignment,
  metricValue,
  printCounts,
  referralVersion,
  spawnApp,
  startProbeConsumer,
  uniqueEvents,
} from './fault-drill-fixtures';

const REFERRAL_TYPES: EventType[] = ['requested', 'received', 'accepted', 'arrived', 'completed'].map(
  (s) => `countylink.referral.${s}.v1` as EventType,
);
const STEPS = [
  ['county-coordinator', 'receive'],
  ['county-cardiology', 'accept'],
  ['county-coordinator', 'arrive'],
  ['county-cardiology', 'complete'],
] as const;
/** The outages the drills prescribe are real time; everything else is awaited. */
const sleepUntil = (at: number) => new Promise((r) => setTimeout(r, Math.max(0, at - Date.now())));

/**
 * The fault drills, on a three-node Apache Kafka cluster of this suite's own (replication 3,
 * min.insync.replicas 2, topics made by the admin API): a leader killed with SIGKILL, an app
 * instance killed with SIGKILL, the whole cluster stopped; then redelivered and undecodable messages.
 * Each prints its counts on a `[fault drill]` line.
 */
describe('outbox and inbox under faults, on a three-node Kafka cluster', () => {
  let cluster: ApacheKafka;
  let t: TestApp;
  let ds: DataSource;
  let events: EventCollector;

  beforeAll(async () => {
    const started = Date.now();
    cluster = await startThreeNodeCluster();
    events = await EventCollector.start(cluster.bootstrapServers, [Topics.referral, deadLetterTopic(Topics.referral)]);
    // kafkajs logs every refused connection of an outage as an error: expected here, so only fatal (TEST_LOG_LEVEL to see them).
    t = await startReferralApp({
      kafka: cluster.bootstrapServers,
      env: { OUTBOX_POLL_MS: '200', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'fatal' },
    });
    ds = t.app.get<DataSource>(getDataSourceToken(REFERRAL_DATA_SOURCE));
    printCounts('setup', { nodes: 3, clusterAndAppUpMs: Date.now() - started });
  }, 180_000);
  afterAll(async () => {
    await t?.close();
    await events?.stop();
    await cluster?.stop();
  });

  const createMany = async (n: number, login = 'township-a-doctor') => {
    const ids: string[] = [];
    while (ids.length < n) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(10, n - ids.length) }, () => createReferral(t, login, upReferral())),
      );
      expect(batch.map((r) => r.status).filter((s) => s !== 201)).toEqual([]);
      ids.push(...batch.map((r) => r.body.id as string));
    }
    return ids;
  };
  /** Receive, accept, arrive, complete for every referral (each step concurrently); returns the transitions made. */
  const transitionAll = async (ids: string[], onEach: () => void = () => undefined) => {
    let made = 0;
    for (const [login, action] of STEPS) {
      const results = await Promise.all(ids.map((id) => act(t, login, id, action).finally(onEach)));
      expect(results.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
      made += results.length;
    }
    return made;
  };
  /** What the separate consumer saw of these referrals' five events each. */
  const streamOf = (ids: string[]) => ({
    lost: ids.reduce((n, id) => n + 5 - uniqueEvents(events, id, Topics.referral).length, 0),
    duplicatesInLog: ids.reduce((n, id) => n + copiesOf(events, id, Topics.referral).inLog, 0),
    rereadByReader: ids.reduce((n, id) => n + copiesOf(events, id, Topics.referral).reread, 0),
    outOfOrder: ids.filter(
      (id) => uniqueEvents(events, id, Topics.referral).map(referralVersion).join() !== '1,2,3,4,5',
    ).length,
  });
  const allFive = (ids: string[]) => () => ids.every((id) => uniqueEvents(events, id, Topics.referral).length === 5);
  /** On a timeout: what is missing, where, and whether the outbox still holds it. */
  const whereTheyAre = async (ids: string[]) => {
    const missing = ids.flatMap((id) => {
      const have = uniqueEvents(events, id, Topics.referral).map(referralVersion);
      return [1, 2, 3, 4, 5].filter((v) => !have.includes(v)).map((v) => `${id.slice(0, 8)}@v${v}`);
    });
    const [{ n }] = await ds.query('SELECT count(*)::int AS n FROM referral.outbox_message');
    const partitions = new Set(
      missing.map((m) => events.forKey(ids.find((id) => m.startsWith(id.slice(0, 8)))!)[0]?.partition),
    );
    // Whether the log has them: a second reader from the beginning, given the time to catch up.
    const reread = await EventCollector.start(cluster.bootstrapServers, [Topics.referral]);
    const fresh = await waitFor(
      'a second reader caught up',
      () => reread.events.length >= events.events.length && reread.events.length,
      20_000,
    ).catch(() => reread.events.length);
    const inLog = missing.filter((m) =>
      reread.events.some((e) => e.key?.startsWith(m.slice(0, 8)) && `v${referralVersion(e)}` === m.split('@')[1]),
    ).length;
    await reread.stop();
    return `missing ${missing.length} (${missing.slice(0, 6).join(' ')}) on partitions ${[...partitions].join(',')}; outbox rows ${n}; collector has ${events.events.length} records; a second reader from the beginning read ${fresh} and found ${inLog} of the missing`;
  };
  const readyStatus = async () => (await request(t.url).get('/health/ready')).status;

  it('kill -9 of the leader of referral partitions during 200 transitions, back 10 s later: none lost, no effect twice, per-referral order kept', async () => {
    const probe = await startProbeConsumer(
      ds,
      cluster.bootstrapServers,
      'referral.drill_effect',
      `drill-${randomUUID()}`,
      REFERRAL_TYPES,
    );
    try {
      const ids = await createMany(50);
      await waitFor(
        'the 50 requested events',
        () => ids.every((id) => uniqueEvents(events, id, Topics.referral).length === 1),
        30_000,
      );
      const victim = await busiestLeader(cluster, Topics.referral);
      let done = 0;
      const transitions = transitionAll(ids, () => done++);
      await waitFor('transitions under way', () => done >= 20);
      const killedAt = Date.now();
      await cluster.killNode(victim.node);
      const failover = waitForPartitions(
        cluster,
        Topics.referral,
        'new leaders',
        (p) => p.leader >= 0 && p.leader !== victim.node,
        15_000,
      ).then(
        () => Date.now() - killedAt,
        () => 'not before the restart',
      );
      await sleepUntil(killedAt + 10_000);
      await cluster.startAll();
      await waitForPartitions(cluster, Topics.referral, 'three replicas in sync', (p) => p.isr.length === 3);
      expect(await transitions).toBe(200);

      await waitFor('all 250 events at the separate consumer', allFive(ids), 60_000).catch(async (err: Error) => {
        throw new Error(`${err.message}; ${await whereTheyAre(ids)}`);
      });
      await waitFor('250 events applied', async () => (await probe.counts()).distinct === 250, 60_000);
      const effects = await probe.counts();
      const stream = streamOf(ids);
      printCounts('leader kill -9', {
        killedNode: victim.node,
        itLed: `p${victim.partitions.join('+p')}`,
        transitions: 200,
        events: 250,
        lost: stream.lost,
        duplicatesInLog: stream.duplicatesInLog,
        rereadBySeparateConsumer: stream.rereadByReader,
        effects: effects.rows,
        duplicatedEffects: effects.rows - effects.distinct,
        referralsOutOfOrder: stream.outOfOrder,
        newLeadersAfterMs: await failover,
        allBackAfterMs: Date.now() - killedAt,
      });
      // The idempotent producer's retries outlast the failover: no batch is written twice.
      expect(stream).toMatchObject({ lost: 0, duplicatesInLog: 0, outOfOrder: 0 });
      expect(effects).toEqual({ rows: 250, distinct: 250 });
    } finally {
      await probe.stop();
    }
  }, 150_000);

  it('two instances of clinician-realtime in one group, one killed -9 mid-stream: the other takes its partitions, each event applied once', async () => {
    const db = await createTestDatabase(process.env.TEST_PG_ADMIN_URL!);
    const prefix = `drill-${randomBytes(4).toString('hex')}`;
    const group = `${prefix}.${NOTIFICATION_GROUP}`;
    const env = (name: string) => ({
      DATABASE_URL: db,
      KAFKA_BROKERS: cluster.bootstrapServers,
      KAFKA_GROUP_PREFIX: prefix,
      KAFKA_CLIENT_ID: name,
    });
    const a = await spawnApp('clinician-realtime', t, env('realtime-a'));
    let b: AppProcess | undefined;
    try {
      const victim = await spawnApp('clinician-realtime', t, env('realtime-b'));
      b = victim;
      const split = await waitFor(
        'both instances holding referral partitions',
        async () => {
          const members = await groupAssignment(cluster, group, Topics.referral).catch(() => []);
          return members.length === 2 && members.every((m) => m.partitions.length > 0) && members;
        },
        60_000,
      );
      const killedPartitions = new Set(split.find((m) => m.clientId === 'realtime-b')!.partitions);
      await waitFor(
        'directory replica',
        async () => (await sql<{ n: number }>(db, 'SELECT count(*)::int AS n FROM realtime.known_member'))[0].n >= 14,
        60_000,
      );

      const ids: string[] = [];
      const appliedIds = async () =>
        new Set(
          (
            await sql<{ id: string }>(
              db,
              `SELECT DISTINCT subject_id AS id FROM realtime.notification WHERE type = 'referral.requested' AND subject_id = ANY($1)`,
              [ids],
            )
          ).map((r) => r.id),
        );
      const onKilledPartitions = (id: string) => killedPartitions.has(events.forKey(id)[0]?.partition ?? -1);
      let killedAt = 0;
      let appliedBeforeKill = 0;
      let appliedByVictim = 0;
      while (ids.length < 96) {
        ids.push(...(await createMany(8, 'township-c-doctor')));
        if (killedAt) continue;
        const applied = [...(await appliedIds())];
        if (applied.length >= 24 && applied.some(onKilledPartitions)) {
          await victim.kill9();
          killedAt = Date.now();
          appliedBeforeKill = applied.length;
          appliedByVictim = applied.filter(onKilledPartitions).length;
        }
      }
      expect(killedAt).toBeGreaterThan(0);
      await waitFor(
        'the survivor holding every referral partition',
        async () => {
          const members = await groupAssignment(cluster, group, Topics.referral).catch(() => []);
          return members.length === 1 && members[0].partitions.length === 4;
        },
        60_000,
      );
      const takeoverMs = Date.now() - killedAt;
      await waitFor('all 96 referrals applied', async () => (await appliedIds()).size === 96, 60_000);

      const perEvent = await sql<{ n: number }>(
        db,
        `SELECT count(*)::int AS n FROM realtime.notification WHERE type = 'referral.requested' AND subject_id = ANY($1) GROUP BY event_id`,
        [ids],
      );
      const eventIds = ids.map((id) => uniqueEvents(events, id, Topics.referral)[0]?.headers.ce_id);
      const [{ inbox }] = await sql<{ inbox: number }>(
        db,
        'SELECT count(*)::int AS inbox FROM realtime.inbox_entry WHERE consumer_group = $1 AND event_id = ANY($2)',
        [NOTIFICATION_GROUP, eventIds],
      );
      const redelivered = await metricValue(a.url, 'countylink_events_duplicate_total', { group: NOTIFICATION_GROUP });
      printCounts('instance kill -9', {
        events: 96,
        applied: perEvent.length,
        lost: 96 - perEvent.length,
        appliedTwice: perEvent.filter((r) => r.n > 1).length,
        inboxEntries: inbox,
        appliedBeforeKill,
        ofThemByKilledInstance: appliedByVictim,
        onItsPartitionsAfterKill: ids.filter(onKilledPartitions).length - appliedByVictim,
        redeliveredSkippedBySurvivor: redelivered,
        takeoverMs,
      });
      expect(perEvent).toHaveLength(96);
      expect(perEvent.every((r) => r.n === 1)).toBe(true);
      expect(inbox).toBe(96);
    } finally {
      await b?.kill9();
      await a.stop();
    }
  }, 180_000);

  it('the whole cluster stopped for 30 s: the outbox holds, not ready meanwhile, the relay resumes in order, ready after', async () => {
    const ids = await createMany(20);
    await waitFor(
      'the 20 requested events',
      () => ids.every((id) => uniqueEvents(events, id, Topics.referral).length === 1),
      30_000,
    );
    expect(await readyStatus()).toBe(200);

    await cluster.stop();
    const downAt = Date.now();
    const notReady = await waitFor(
      'not ready',
      async () => {
        const res = await request(t.url).get('/health/ready');
        return res.status === 503 && res;
      },
      30_000,
    );
    expect(notReady.body.error).toMatchObject({ code: 'NOT_READY', details: { error: { kafka: { status: 'down' } } } });
    expect(await transitionAll(ids)).toBe(80);
    const outbox = async () =>
      (await ds.query('SELECT count(*)::int AS n FROM referral.outbox_message'))[0].n as number;
    const held = await outbox();
    expect(held).toBeGreaterThanOrEqual(80);
    expect(ids.every((id) => uniqueEvents(events, id, Topics.referral).length === 1)).toBe(true);
    await sleepUntil(downAt + 30_000);
    const readyAtEnd = await readyStatus();
    expect(readyAtEnd).toBe(503);

    const restartAt = Date.now();
    await cluster.startAll();
    await waitFor('ready again', async () => (await readyStatus()) === 200, 60_000);
    const readyAfterMs = Date.now() - restartAt;
    await waitFor('all 100 events after the outage', allFive(ids), 60_000);
    await waitFor('the outbox empty', async () => (await outbox()) === 0, 30_000);
    const stream = streamOf(ids);
    printCounts('cluster stop 30 s', {
      downForMs: restartAt - downAt,
      transitionsWhileDown: 80,
      outboxHeld: held,
      readyWhileDown: notReady.status,
      readyAtEnd,
      readyAfterRestartMs: readyAfterMs,
      events: 100,
      lost: stream.lost,
      duplicatesInLog: stream.duplicatesInLog,
      rereadBySeparateConsumer: stream.rereadByReader,
      referralsOutOfOrder: stream.outOfOrder,
      allDeliveredAfterRestartMs: Date.now() - restartAt,
    });
    expect(stream).toMatchObject({ lost: 0, outOfOrder: 0 });
  }, 150_000);

  it('a consumer that crashed in a way kafkajs does not restart (a TypeError in a handler) is started again and goes on from its committed offset', async () => {
    const topic = `drill.crash-${randomBytes(3).toString('hex')}`;
    await cluster.createTopics([{ name: topic, partitions: 1 }]);
    const transport = new KafkaTransport({
      clientId: 'crash-drill',
      brokers: cluster.bootstrapServers.split(','),
      sessionTimeoutMs: 3500,
    });
    const seen: string[] = [];
    let thrown = 0;
    const subscription = await transport.subscribe(`crash-${randomUUID()}`, [topic], async (m) => {
      seen.push(m.key!);
      // kafkajs counts a TypeError as unrecoverable: its consumer disconnects and never restarts itself.
      if (m.key === 'm2' && thrown++ === 0) throw new TypeError("Cannot read properties of undefined (reading 'id')");
    });
    try {
      await transport.send(
        topic,
        ['m1', 'm2', 'm3'].map((key) => ({ key, value: Buffer.from(key), headers: {} })),
      );
      await waitFor('m3 behind the crash', () => seen.includes('m3'), 30_000);
      printCounts('unrestartable crash', {
        thrown,
        m2Deliveries: seen.filter((k) => k === 'm2').length,
        m3Deliveries: seen.filter((k) => k === 'm3').length,
      });
      expect(thrown).toBe(2);
      expect(seen.filter((k) => k === 'm2')).toHaveLength(2);
    } finally {
      await subscription.stop();
      await transport.close();
    }
  }, 60_000);

  it('applies redelivered events once and dead-letters what cannot be decoded, then goes on', async () => {
    const requested = () => {
      const seen = new Set<string>();
      return events.events.filter(
        (e) =>
          e.topic === Topics.referral &&
          e.type === 'countylink.referral.requested.v1' &&
          !seen.has(e.headers.ce_id) &&
          seen.add(e.headers.ce_id),
      );
    };
    const originals = requested();
    const n = originals.length;
    const probe = await startProbeConsumer(
      ds,
      cluster.bootstrapServers,
      'referral.probe_effect',
      `probe-${randomUUID()}`,
      ['countylink.referral.requested.v1'],
    );
    const producer = new Kafka({ brokers: cluster.bootstrapServers.split(','), logLevel: logLevel.NOTHING }).producer();
    try {
      await producer.connect();
      await waitFor(`the ${n} requested events applied`, async () => (await probe.counts()).distinct === n, 30_000);

      // Redeliver them all as they were (same CloudEvents ids), then garbage, then one new event per partition.
      await producer.send({
        topic: Topics.referral,
        messages: originals.map((e) => ({ key: e.key, value: e.raw, headers: e.headers, partition: e.partition })),
      });
      const garbageHeaders = toHeaders({
        id: randomUUID(),
        type: 'countylink.referral.requested.v1',
        source: '/test',
        time: new Date().toISOString(),
      });
      await producer.send({
        topic: Topics.referral,
        messages: [
          { key: 'garbage', value: Buffer.from([0xff, 0xff, 0xff, 0x0f, 0x01]), headers: garbageHeaders, partition: 0 },
          { key: 'no-envelope', value: Buffer.from('hello'), partition: 1 },
        ],
      });
      const sentinels = [0, 1, 2, 3].map((partition) => ({
        partition,
        key: `sentinel-${partition}`,
        value: Buffer.from(
          toBinary(
            ReferralRequestedSchema,
            create(ReferralRequestedSchema, { referral: { id: `sentinel-${partition}` } }),
          ),
        ),
        headers: toHeaders({
          id: randomUUID(),
          type: 'countylink.referral.requested.v1',
          source: '/test',
          time: new Date().toISOString(),
        }),
      }));
      await producer.send({ topic: Topics.referral, messages: sentinels });

      await waitFor(
        'the sentinels behind the duplicates and garbage',
        async () => (await probe.counts()).distinct === n + 4,
        30_000,
      );
      expect(await probe.counts()).toEqual({ rows: n + 4, distinct: n + 4 });
      const dead = await waitFor('two dead letters', () => {
        const found = events.events.filter((e) => e.topic === deadLetterTopic(Topics.referral));
        return found.length >= 2 ? found : undefined;
      });
      const byKey = Object.fromEntries(dead.map((d) => [d.key, d.headers]));
      expect(byKey.garbage[DLQ_REASON_HEADER]).toMatch(/does not decode as countylink.referral.v1.ReferralRequested/);
      expect(byKey.garbage['x-countylink-dlq-source']).toMatch(/^countylink\.referral\.v1\/0\/\d+$/);
      expect(byKey['no-envelope'][DLQ_REASON_HEADER]).toMatch(/ce_specversion/);
      printCounts('redelivery', {
        redelivered: n,
        skippedAsDuplicates: n,
        sentinelsApplied: 4,
        deadLetters: dead.length,
      });
    } finally {
      await producer.disconnect();
      await probe.stop();
    }
  }, 90_000);
});
