/**
 * The baseline for the Kafka leg of a benchmark: plain kafkajs on the same broker, with the
 * producer settings CountyLink's transport uses (idempotent, acks=all, one request in flight),
 * messages of the size the app publishes, produced at a rate (open loop) or as fast as `concurrency`
 * senders allow (closed loop), each consumed by a consumer group from the topic's end. Prints
 * nothing itself: the benchmark prints it beside its own figures.
 */
import { randomBytes } from 'node:crypto';
import { Kafka, KafkaConfig, logLevel } from 'kafkajs';

export interface RawKafkaOptions {
  /** kafkajs client settings for the broker (address, TLS, SASL). */
  client: KafkaConfig;
  messages: number;
  valueBytes: number;
  /** Open loop: messages per second; otherwise closed loop with `concurrency` senders. */
  rate?: number;
  concurrency?: number;
  partitions?: number;
}

export interface RawKafkaFigures {
  /** Messages acknowledged per second by the broker. */
  producedPerSecond: number;
  produceP50: number;
  produceP99: number;
  /** Send start → the consumer's eachMessage. */
  endToEndP50: number;
  endToEndP99: number;
  received: number;
}

const pct = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

export async function rawKafkaRoundTrip(options: RawKafkaOptions): Promise<RawKafkaFigures> {
  const kafka = new Kafka({ ...options.client, clientId: 'bench-raw-kafkajs', logLevel: logLevel.NOTHING });
  const topic = `bench.raw-${randomBytes(4).toString('hex')}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [{ topic, numPartitions: options.partitions ?? 4, replicationFactor: 1 }],
  });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const consumer = kafka.consumer({ groupId: `bench-raw-${randomBytes(4).toString('hex')}`, maxWaitTimeInMs: 20 });
  const sentAt = new Map<string, number>();
  const endToEnd: number[] = [];
  let allReceived: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (allReceived = resolve));
  try {
    await producer.connect();
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.run({
      eachMessage: async ({ message }) => {
        const id = message.key!.toString();
        const at = sentAt.get(id);
        if (at === undefined) return;
        sentAt.delete(id);
        endToEnd.push(performance.now() - at);
        if (endToEnd.length === options.messages) allReceived();
      },
    });
    await joined;

    const value = randomBytes(options.valueBytes);
    const produce: number[] = [];
    const sendOne = async (i: number) => {
      const key = `m${i}`;
      const start = performance.now();
      sentAt.set(key, start);
      await producer.send({ topic, acks: -1, messages: [{ key, value }] });
      produce.push(performance.now() - start);
    };
    const started = performance.now();
    if (options.rate) {
      const sends: Promise<void>[] = [];
      for (let i = 0; i < options.messages; i++) {
        const due = started + (i * 1000) / options.rate;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        sends.push(sendOne(i));
      }
      await Promise.all(sends);
    } else {
      let next = 0;
      await Promise.all(
        Array.from({ length: options.concurrency ?? 1 }, async () => {
          while (next < options.messages) await sendOne(next++);
        }),
      );
    }
    const producedPerSecond = options.messages / ((performance.now() - started) / 1000);
    await Promise.race([done, new Promise((r) => setTimeout(r, 30_000))]);
    produce.sort((a, b) => a - b);
    endToEnd.sort((a, b) => a - b);
    return {
      producedPerSecond,
      produceP50: pct(produce, 0.5),
      produceP99: pct(produce, 0.99),
      endToEndP50: pct(endToEnd, 0.5),
      endToEndP99: pct(endToEnd, 0.99),
      received: endToEnd.length,
    };
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
}
