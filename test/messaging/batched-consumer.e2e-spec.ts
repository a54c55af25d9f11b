import { randomBytes, randomUUID } from 'node:crypto';
import { create, toBinary } from '@bufbuild/protobuf';
import { Kafka, logLevel, Producer } from 'kafkajs';
import { DataSource, EntityManager } from 'typeorm';
import { deadLetterTopic, EventType, ReferralRequestedSchema, Topics } from '@countylink/contracts';
import {
  DLQ_REASON_HEADER,
  EventConsumer,
  EventHandler,
  EventHandlers,
  KafkaTransport,
  toHeaders,
} from '@countylink/messaging';
import {
  e2eKafkaSecurity,
  EventCollector,
  kafkaClientConfigFor,
  startTestDataSource,
  waitFor,
} from '@countylink/testing';
import { REFERRAL_MIGRATIONS } from '../../apps/referral-registry/src/migrations';
import { REFERRAL_DATA_SOURCE, REFERRAL_SCHEMA } from '../../apps/referral-registry/src/referral-registry.constants';
import { REFERRAL_ENTITIES } from '../../apps/referral-registry/src/referral-registry.entities';

/**
 * A batched consumer group (`batched: true`) on the e2e Apache Kafka: a partition's waiting events
 * are applied in one transaction, and a run that fails is applied again one event at a time, so a
 * bad event is retried and dead-lettered on its own while the others are applied exactly once.
 */
const brokers = process.env.TEST_KAFKA_BROKERS!;
const prefix = `batch-${randomBytes(4).toString('hex')}`;
const TYPE: EventType = 'countylink.referral.requested.v1';

function requested(key: string, id = randomUUID()) {
  return {
    key,
    partition: 0,
    value: Buffer.from(toBinary(ReferralRequestedSchema, create(ReferralRequestedSchema, { referral: { id: key } }))),
    headers: toHeaders({ id, type: TYPE, source: '/test', time: new Date().toISOString() }),
  };
}

describe('a batched consumer group', () => {
  let ds: DataSource;
  let producer: Producer;
  let transport: KafkaTransport;
  let consumer: EventConsumer;
  let dead: EventCollector;
  const commits: string[] = [];

  beforeAll(async () => {
    ds = await startTestDataSource({
      name: REFERRAL_DATA_SOURCE,
      schema: REFERRAL_SCHEMA,
      entities: REFERRAL_ENTITIES,
      migrations: REFERRAL_MIGRATIONS,
    });
    await ds.query(`CREATE TABLE probe_effect (key text NOT NULL, txid bigint NOT NULL)`);
    const record: EventHandler<EventType> = async (event, manager: EntityManager) => {
      if (!event.key?.startsWith(prefix)) return;
      if (event.key.endsWith('poison')) throw new Error('this one cannot be applied');
      await manager.query(`INSERT INTO probe_effect VALUES ($1, txid_current())`, [event.key]);
    };
    const handlers = { [TYPE]: record } as EventHandlers;
    transport = new KafkaTransport({
      clientId: 'batch-probe',
      brokers: brokers.split(','),
      security: e2eKafkaSecurity(brokers),
      sessionTimeoutMs: 6_000,
    });
    consumer = new EventConsumer(
      {
        groupId: `test-${prefix}`,
        handlers,
        batched: true,
        beforeCommit: async (manager) => {
          const [{ txid }] = await manager.query(`SELECT txid_current()::text AS txid`);
          commits.push(txid as string);
        },
      },
      ds,
      transport,
      3,
    );
    dead = await EventCollector.start(brokers, [deadLetterTopic(Topics.referral)]);
    producer = new Kafka({ ...kafkaClientConfigFor(brokers), logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    await consumer.start();
    // Caught up with what other suites left on the topic: a sentinel of ours is applied.
    await producer.send({ topic: Topics.referral, messages: [requested(`${prefix}-sentinel`)] });
    await waitFor('the sentinel applied', async () => (await effects()).length === 1, 30_000);
  });

  afterAll(async () => {
    await consumer?.stop();
    await transport?.close();
    await producer?.disconnect();
    await dead?.stop();
    await ds?.destroy();
  });

  const effects = async () =>
    (await ds.query(`SELECT key, txid::text AS txid FROM probe_effect ORDER BY key`)) as Array<{
      key: string;
      txid: string;
    }>;

  it('applies a run in one transaction, a repeated event once, and retries a failing run event by event', async () => {
    const first = requested(`${prefix}-a1`);
    const poisonId = randomUUID();
    // One send to one partition: the consumer's fetch gets them as one batch.
    await producer.send({
      topic: Topics.referral,
      messages: [
        first,
        requested(`${prefix}-a2`),
        first,
        { key: `${prefix}-garbage`, partition: 0, value: Buffer.from('hello') },
        requested(`${prefix}-b1`),
        requested(`${prefix}-poison`, poisonId),
        requested(`${prefix}-b2`),
      ],
    });
    // Generous: three attempts with back-off, then a dead-letter topic read by another consumer.
    const ours = (e: { headers: Record<string, string> }) => e.headers['x-countylink-dlq-group'] === `test-${prefix}`;
    await waitFor(
      'the poison dead-lettered',
      () => (dead.events.some((e) => e.key === `${prefix}-poison` && ours(e)) ? true : undefined),
      30_000,
    );
    await waitFor('b2 applied', async () => (await effects()).some((e) => e.key === `${prefix}-b2`), 30_000);
    const rows = await effects();
    const byKey = Object.fromEntries(rows.map((r) => [r.key.slice(prefix.length + 1), r.txid]));
    // Each applied once (a1 came twice), the poison's effect nowhere.
    expect(Object.keys(byKey).sort()).toEqual(['a1', 'a2', 'b1', 'b2', 'sentinel']);
    expect(rows).toHaveLength(5);
    // a1 and a2 (with the repeat of a1) went in one transaction, which committed through the hook.
    expect(byKey.a1).toBe(byKey.a2);
    expect(commits).toContain(byKey.a1);
    // The run with the poison failed as a whole and went one by one: b1 and b2 in transactions of their own.
    expect(byKey.b1).not.toBe(byKey.b2);
    expect(commits).toEqual(expect.arrayContaining([byKey.b1, byKey.b2]));
    // The dead-letter topic is shared: other suites' apps read the referral topic too, and
    // dead-letter these test events as unusable referrals. Ours say which group sent them.
    const letters = dead.events.filter((e) => e.key?.startsWith(prefix) && ours(e));
    expect(letters.map((e) => e.key).sort()).toEqual([`${prefix}-garbage`, `${prefix}-poison`]);
    const poison = letters.find((e) => e.key === `${prefix}-poison`)!;
    expect(poison.headers[DLQ_REASON_HEADER]).toMatch(/handler failed 3 times: this one cannot be applied/);
    expect(poison.headers.ce_id).toBe(poisonId);
    // The inbox holds what was applied, and not the poison.
    const inbox = await ds.query(`SELECT event_id FROM ${REFERRAL_SCHEMA}.inbox_entry WHERE consumer_group = $1`, [
      `test-${prefix}`,
    ]);
    expect(inbox.map((r: { event_id: string }) => r.event_id)).not.toContain(poisonId);
  });
});
