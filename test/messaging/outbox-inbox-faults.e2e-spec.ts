import { randomUUID } from 'node:crypto';
import { create, toBinary } from '@bufbuild/protobuf';
import { getDataSourceToken } from '@nestjs/typeorm';
import { Kafka, logLevel, Producer } from 'kafkajs';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { deadLetterTopic, ReferralRequestedSchema, Topics } from '@countylink/contracts';
import { DLQ_REASON_HEADER, EventConsumer, KafkaTransport, toHeaders } from '@countylink/messaging';
import { EventCollector, MockKafkaCluster, startCountyLinkKafka, TestApp, waitFor } from '@countylink/testing';
import { REFERRAL_DATA_SOURCE } from '../../apps/referral-registry/src/referral-registry.constants';
import { act, createReferral, startReferralApp, upReferral } from '../referral-registry/referral-fixtures';

/**
 * Faults on a cluster of this suite's own: a broker outage during traffic, redelivered events and
 * undecodable messages.
 */
describe('outbox and inbox under faults', () => {
  let cluster: MockKafkaCluster;
  let t: TestApp;
  let events: EventCollector;
  let producer: Producer;

  beforeAll(async () => {
    cluster = await startCountyLinkKafka();
    events = await EventCollector.start(cluster.bootstrapServers, [Topics.referral, deadLetterTopic(Topics.referral)]);
    t = await startReferralApp({ kafka: cluster.bootstrapServers, env: { OUTBOX_POLL_MS: '200' } });
    producer = new Kafka({ brokers: cluster.bootstrapServers.split(','), logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
  });
  afterAll(async () => {
    await producer?.disconnect();
    await t?.close();
    await events?.stop();
    await cluster?.stop();
  });

  const uniqueEvents = (key: string) => {
    const seen = new Set<string>();
    return events.forKey(key).filter((e) => !seen.has(e.headers.ce_id) && seen.add(e.headers.ce_id));
  };

  it('loses nothing and keeps per-referral order when the broker is down for 10 s during 200 transitions', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) ids.push((await createReferral(t, 'township-a-doctor', upReferral())).body.id);
    await waitFor('creation events', () => ids.every((id) => events.forKey(id).length >= 1), 30_000);

    expect((await request(t.url).get('/health/ready')).status).toBe(200);
    await cluster.brokerDown(1);
    const downAt = Date.now();
    const notReady = await request(t.url).get('/health/ready');
    expect(notReady.status).toBe(503);
    expect(notReady.body.error).toMatchObject({ code: 'NOT_READY', details: { error: { kafka: { status: 'down' } } } });
    const steps = [['county-coordinator', 'receive'], ['county-cardiology', 'accept'], ['county-coordinator', 'arrive'], ['county-cardiology', 'complete']] as const;
    let transitions = 0;
    for (const [login, action] of steps) {
      const results = await Promise.all(ids.map((id) => act(t, login, id, action)));
      expect(results.every((r) => r.status === 200)).toBe(true);
      transitions += results.length;
    }
    expect(transitions).toBe(200);
    // Nothing reached the broker while it was down: every transition waits in the outbox.
    expect(ids.every((id) => uniqueEvents(id).length === 1)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 10_000 - (Date.now() - downAt))));
    await cluster.brokerUp(1);
    await waitFor('ready again', async () => (await request(t.url).get('/health/ready')).status === 200, 30_000);

    await waitFor('all 250 events after the outage', () => ids.every((id) => uniqueEvents(id).length === 5), 60_000);
    for (const id of ids) {
      const stream = uniqueEvents(id);
      expect(stream.map((e) => (e.payload as { referral?: { version: number } }).referral?.version)).toEqual([1, 2, 3, 4, 5]);
      expect(stream.map((e) => e.type.split('.')[2])).toEqual(['requested', 'received', 'accepted', 'arrived', 'completed']);
    }
  }, 120_000);

  it('applies redelivered events once and dead-letters what cannot be decoded, then goes on', async () => {
    const ds = t.app.get<DataSource>(getDataSourceToken(REFERRAL_DATA_SOURCE));
    await ds.query('CREATE TABLE referral.probe_effect (event_id text NOT NULL, referral_id text NOT NULL)');
    // A consumer group of the messaging library whose effect is a row per application.
    const transport = new KafkaTransport({ clientId: 'probe', brokers: cluster.bootstrapServers.split(','), sessionTimeoutMs: 3500 });
    const consumer = new EventConsumer(
      {
        groupId: `probe-${randomUUID()}`,
        handlers: {
          'countylink.referral.requested.v1': async (event, manager) => {
            await manager.query('INSERT INTO referral.probe_effect VALUES ($1, $2)', [event.id, event.payload.referral?.id ?? '']);
          },
        },
      },
      ds,
      transport,
      3,
    );
    const applied = async () => (await ds.query('SELECT count(*)::int AS n FROM referral.probe_effect'))[0].n as number;
    try {
      await consumer.start();
      await waitFor('the 50 requested events applied', async () => (await applied()) === 50, 30_000);

      // Redeliver all 50 as they were (same CloudEvents ids), then garbage, then one new event per partition.
      const originals = events.events.filter((e) => e.type === 'countylink.referral.requested.v1' && e.topic === Topics.referral);
      expect(originals).toHaveLength(50);
      await producer.send({ topic: Topics.referral, messages: originals.map((e) => ({ key: e.key, value: e.raw, headers: e.headers, partition: e.partition })) });
      const garbageHeaders = toHeaders({ id: randomUUID(), type: 'countylink.referral.requested.v1', source: '/test', time: new Date().toISOString() });
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
        value: Buffer.from(toBinary(ReferralRequestedSchema, create(ReferralRequestedSchema, { referral: { id: `sentinel-${partition}` } }))),
        headers: toHeaders({ id: randomUUID(), type: 'countylink.referral.requested.v1', source: '/test', time: new Date().toISOString() }),
      }));
      await producer.send({ topic: Topics.referral, messages: sentinels });

      await waitFor('the sentinels behind the duplicates and garbage', async () => (await applied()) === 54, 30_000);
      const [{ distinct }] = await ds.query('SELECT count(DISTINCT event_id)::int AS distinct FROM referral.probe_effect');
      expect(distinct).toBe(54);

      const dead = await waitFor('two dead letters', () => {
        const found = events.events.filter((e) => e.topic === deadLetterTopic(Topics.referral));
        return found.length >= 2 ? found : undefined;
      });
      const byKey = Object.fromEntries(dead.map((d) => [d.key, d.headers]));
      expect(byKey.garbage[DLQ_REASON_HEADER]).toMatch(/does not decode as countylink.referral.v1.ReferralRequested/);
      expect(byKey.garbage['x-countylink-dlq-source']).toMatch(/^countylink\.referral\.v1\/0\/\d+$/);
      expect(byKey['no-envelope'][DLQ_REASON_HEADER]).toMatch(/ce_specversion/);
    } finally {
      await consumer.stop();
      await transport.close();
    }
  }, 90_000);
});
