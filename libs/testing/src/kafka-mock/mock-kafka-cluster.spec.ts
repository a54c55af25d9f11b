import { EventEmitter } from 'node:events';
import { IHeaders, Kafka, logLevel, Partitioners } from 'kafkajs';
import { MOCK_FRIENDLY_CONSUMER_CONFIG, MockKafkaCluster } from './mock-kafka-cluster';

// Every consumer group pays the mock's fixed 3 s initial join, so the three scenarios run
// concurrently; each has its own topics and groups.
jest.setTimeout(20_000);

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

async function startCluster(opts: Parameters<typeof MockKafkaCluster.start>[0]): Promise<MockKafkaCluster> {
  const cluster = await MockKafkaCluster.start(opts);
  cleanups.unshift(() => cluster.stop()); // stopped last, after the clients
  return cluster;
}

function client(cluster: MockKafkaCluster, level = logLevel.WARN): Kafka {
  return new Kafka({ clientId: 'mock-spec', brokers: cluster.bootstrapServers.split(','), logLevel: level });
}

async function producer(kafka: Kafka, retries = 5) {
  // Not idempotent: the mock's metadata names no controller, which kafkajs's idempotent producer needs.
  const p = kafka.producer({
    allowAutoTopicCreation: true,
    createPartitioner: Partitioners.DefaultPartitioner,
    retry: { retries, initialRetryTime: 100, maxRetryTime: 500 },
  });
  await p.connect();
  cleanups.push(() => p.disconnect());
  return p;
}

interface Received {
  partition: number;
  offset: number;
  key: string;
  value: string;
  headers: Record<string, string>;
}

function text(headers: IHeaders = {}): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, String(v)]));
}

/** Starts a group member; resolves once it has joined (kafkajs run() awaits join + sync). */
async function consume(kafka: Kafka, groupId: string, topic: string) {
  const consumer = kafka.consumer({ groupId, ...MOCK_FRIENDLY_CONSUMER_CONFIG });
  const received: Received[] = [];
  const committed = new Map<number, number>(); // partition -> next offset, from COMMIT_OFFSETS events
  const changed = new EventEmitter();
  consumer.on(consumer.events.COMMIT_OFFSETS, ({ payload }) => {
    for (const t of payload.topics) for (const p of t.partitions) committed.set(Number(p.partition), Number(p.offset));
    changed.emit('change');
  });
  await consumer.connect();
  cleanups.push(() => consumer.disconnect());
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      received.push({
        partition,
        offset: Number(message.offset),
        key: String(message.key),
        value: String(message.value),
        headers: text(message.headers),
      });
      changed.emit('change');
    },
  });
  /** Resolves when cond() holds, re-checked on every message and commit (no polling). */
  const until = (cond: () => boolean) =>
    new Promise<void>((resolve) => {
      const check = () => cond() && (changed.off('change', check), resolve());
      changed.on('change', check);
      check();
    });
  /** Everything received so far is committed. */
  const allCommitted = () => received.every((m) => (committed.get(m.partition) ?? -1) > m.offset);
  return { consumer, received, until, allCommitted };
}

test.concurrent('round-trips messages with headers through a consumer group, in partition order', async () => {
  const cluster = await startCluster({});
  const kafka = client(cluster);
  const p = await producer(kafka);
  const keys = ['a', 'b', 'c', 'd'];
  const messages = [0, 1, 2, 3, 4].flatMap((seq) =>
    keys.map((key) => ({ key, value: `${key}${seq}`, headers: { seq: String(seq), 'content-type': 'text/plain' } })),
  );
  await p.send({ topic: 'roundtrip', messages }); // auto-creates the topic

  const admin = kafka.admin();
  await admin.connect();
  cleanups.push(() => admin.disconnect());
  const [meta] = (await admin.fetchTopicMetadata({ topics: ['roundtrip'] })).topics;
  expect(meta.partitions).toHaveLength(4); // the mock's auto-create default

  const c = await consume(kafka, 'roundtrip-group', 'roundtrip');
  await c.until(() => c.received.length === messages.length);
  for (const key of keys) {
    const mine = c.received.filter((m) => m.key === key);
    expect(mine.map((m) => m.value)).toEqual([0, 1, 2, 3, 4].map((seq) => `${key}${seq}`));
    expect(mine.map((m) => m.headers)).toEqual(
      [0, 1, 2, 3, 4].map((seq) => ({ seq: String(seq), 'content-type': 'text/plain' })),
    );
    expect(new Set(mine.map((m) => m.partition)).size).toBe(1); // same key, same partition
  }
});

test.concurrent('a later member of the group resumes from committed offsets', async () => {
  const cluster = await startCluster({ topics: [{ name: 'commits', partitions: 2 }] });
  const kafka = client(cluster);
  const p = await producer(kafka);
  // Explicit partitions: old and new messages on both, so an ignored commit would show up.
  const send = (values: string[]) =>
    p.send({ topic: 'commits', messages: values.map((value, i) => ({ value, partition: i % 2 })) });
  await send(['m0', 'm1', 'm2', 'm3']);

  const first = await consume(kafka, 'commit-group', 'commits');
  await first.until(() => first.received.length === 4 && first.allCommitted());
  await first.consumer.disconnect();

  await send(['m4', 'm5', 'm6']);
  const second = await consume(kafka, 'commit-group', 'commits');
  await second.until(() => second.received.length >= 3);
  expect(second.received.map((m) => m.value).sort()).toEqual(['m4', 'm5', 'm6']);
});

test.concurrent('a send to a downed leader fails, and succeeds again once the broker is back', async () => {
  const cluster = await startCluster({ brokers: 3, topics: [{ name: 'failover', partitions: 1 }] });
  // The outage makes kafkajs log connection errors at ERROR level; they are expected here.
  const kafka = client(cluster, logLevel.NOTHING);
  const admin = kafka.admin();
  await admin.connect();
  cleanups.push(() => admin.disconnect());
  const leader = (await admin.fetchTopicMetadata({ topics: ['failover'] })).topics[0].partitions[0].leader;

  const c = await consume(kafka, 'failover-group', 'failover');
  const p = await producer(kafka, 2); // few retries: the outage must outlast them (~0.4 s)
  await p.send({ topic: 'failover', messages: [{ value: 'before' }] });
  await c.until(() => c.received.length === 1 && c.allCommitted());

  await cluster.brokerDown(leader); // leadership does not move: the partition is unavailable
  await expect(p.send({ topic: 'failover', messages: [{ value: 'during' }] })).rejects.toMatchObject({
    name: 'KafkaJSNumberOfRetriesExceeded',
  });
  await cluster.brokerUp(leader);

  await p.send({ topic: 'failover', messages: [{ value: 'after' }] });
  await c.until(() => c.received.some((m) => m.value === 'after'));
  expect(c.received.map((m) => m.value)).toEqual(['before', 'after']);
});

test('commands the mock cannot honour are rejected', async () => {
  const cluster = await startCluster({});
  await cluster.createTopic('dup', 1);
  await expect(cluster.createTopic('dup', 1)).rejects.toThrow(/already exists/);
  await expect(cluster.brokerDown(7)).rejects.toThrow(/not available/);
});
