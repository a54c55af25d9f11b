import { Logger } from '@nestjs/common';
import {
  Admin,
  Consumer,
  IHeaders,
  Kafka,
  KafkaMessage,
  logLevel,
  Message,
  PartitionMetadata,
  Partitioners,
  Producer,
  RecordMetadata,
} from 'kafkajs';
import { superviseConsumer, SupervisedConsumer } from './kafka-consumer-supervisor';
import { KafkaClientSecurity, kafkaConnectionOptions } from './kafka-security';
import { BatchSink, MessageSink, ReceivedMessage, Subscription, Transport, WireMessage } from './transport';

export interface KafkaTransportOptions {
  clientId: string;
  brokers: string[];
  /** How long a first group join may take before `subscribe` gives up. */
  joinTimeoutMs?: number;
  /** Consumer session timeout; librdkafka's mock (tests) holds every rebalance for this minus 1 s. */
  sessionTimeoutMs?: number;
  /** Prepended to every consumer group id, so deployments (or test suites) can share a cluster. */
  groupPrefix?: string;
  /**
   * Partitions a consumer works on at once (each still strictly in order): handlers wait on the
   * database, so one partition at a time leaves a consumer idle most of the time.
   */
  partitionsConsumedConcurrently?: number;
  /** Longest a fetch waits for data. A broker answers as soon as data arrives; librdkafka's mock holds it. */
  fetchMaxWaitMs?: number;
  /** TLS and SASL/SCRAM (KAFKA_SSL*, KAFKA_SASL_*); none: plaintext, unauthenticated. */
  security?: KafkaClientSecurity;
}

function headersToStrings(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) out[name] = first.toString();
  }
  return out;
}

function received(topic: string, partition: number, message: KafkaMessage): ReceivedMessage {
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key ? message.key.toString() : null,
    value: message.value,
    headers: headersToStrings(message.headers),
  };
}

/** The most messages of a fetched batch handed to a batch sink at once. */
const BATCH_SLICE = 100;

const kafkaLogger = new Logger('kafkajs');
const logCreator = () => (entry: { level: logLevel; log: { message: string } & Record<string, unknown> }) => {
  const { message, ...rest } = entry.log;
  // Said of every producer with bounded retries; KafkaTransport's retired producers cover that case.
  if (message.startsWith('Limiting retries for the idempotent producer')) return;
  if (entry.level <= logLevel.ERROR) kafkaLogger.error({ ...rest }, message);
  else if (entry.level === logLevel.WARN) kafkaLogger.warn({ ...rest }, message);
};

/**
 * A send that spans leaders can lose messages in kafkajs 2.2 and still resolve: its retry re-sends
 * only to brokers that have not answered, so partitions that moved during a failover to a broker
 * that had already answered for its own are never sent (their sequence numbers were rolled back
 * with the failed request). They are then missing from the send's result, one entry per partition
 * written: the partitions returned here, which the transport sends again with the same producer (so
 * a batch the dead leader had written after all is dropped by the new one as a duplicate). One
 * request per broker instead of one per partition: each partition as its own request cost a relay
 * pass a dozen serialized round trips.
 */
export function unacknowledgedPartitions(
  topic: string,
  placed: Message[],
  acknowledged: RecordMetadata[],
): Set<number> {
  const written = new Set(
    acknowledged.filter((r) => r.topicName === topic && r.errorCode === 0).map((r) => r.partition),
  );
  return new Set(placed.map((m) => m.partition!).filter((p) => !written.has(p)));
}

/** Sends of the partitions a send left out, before the send counts as failed. */
const MISSING_PARTITION_ROUNDS = 5;

/** As kafkajs' metadataMaxAge: partitions added to a topic are seen within five minutes. */
const PARTITIONS_MAX_AGE_MS = 300_000;

/**
 * One send's retries ride out a leader failover: the controller fences a killed broker after its
 * 9 s session timeout, and kafkajs retries the same batches (same sequence numbers) until then and
 * once more after the metadata names the new leader. New leaders came 7–13 s after a kill -9 in the
 * fault drill; 8 retries (about 17.6 s) ran out there when the last one met the restarted old leader
 * answering NOT_LEADER, and the retired producer's re-send wrote the batch a second time. 12 retries
 * last about 34 s.
 */
const PRODUCER_RETRY = { initialRetryTime: 300, retries: 12, maxRetryTime: 4_000 };

/**
 * kafkajs underneath. One idempotent producer per process, acks=all: a batch written by a leader
 * that died before answering is retried with the same sequence numbers and dropped by the new
 * leader as a duplicate. kafkajs sends an idempotent producer's requests one at a time per broker
 * (its broker lock, the fix for concurrent sends of tulios/kafkajs#598) and one in flight per
 * connection here, so a retried batch cannot overtake the next one (per-key order). A send that
 * fails for good may still have been written; the outbox sends those rows again, perhaps batched
 * otherwise, which that producer id's sequence numbers would refuse as out of order for ever — so
 * a failed send retires the producer and the next send gets a new id (a rare duplicate the inbox
 * drops). librdkafka's mock cluster cannot grant producer ids: the suites run on Apache Kafka.
 */
export class KafkaTransport implements Transport {
  readonly kind = 'kafka' as const;
  private readonly kafka: Kafka;
  private producer: Producer;
  private readonly admin: Admin;
  private readonly consumers = new Set<SupervisedConsumer>();
  private connected?: Promise<void>;
  private readonly partitionsByTopic = new Map<
    string,
    { at: number; partitions: Promise<PartitionMetadata[] | undefined> }
  >();
  private readonly partitioner = Partitioners.DefaultPartitioner();

  constructor(private readonly options: KafkaTransportOptions) {
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      ...kafkaConnectionOptions(options.security),
      logLevel: logLevel.WARN,
      logCreator,
      retry: { initialRetryTime: 100, retries: 5, maxRetryTime: 2_000 },
      connectionTimeout: 3_000,
      requestTimeout: 10_000,
    });
    this.producer = this.newProducer();
    this.admin = this.kafka.admin();
  }

  private newProducer(): Producer {
    return this.kafka.producer({
      allowAutoTopicCreation: true,
      idempotent: true,
      maxInFlightRequests: 1,
      retry: PRODUCER_RETRY,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  /** After a failed send: a new producer (and producer id) for the next one; the old one's sends fail and are retried. */
  private retire(producer: Producer, err: unknown): void {
    if (this.producer !== producer) return;
    kafkaLogger.warn(
      { err },
      'send failed; the next send gets a new producer id (what this one may have written is published again)',
    );
    this.producer = this.newProducer();
    this.connected = undefined;
    void producer.disconnect().catch(() => undefined);
  }

  private connect(): Promise<void> {
    this.connected ??= Promise.all([this.producer.connect(), this.admin.connect()]).then(
      () => undefined,
      (err) => {
        this.connected = undefined;
        throw err;
      },
    );
    return this.connected;
  }

  async send(topic: string, messages: WireMessage[]): Promise<void> {
    await this.connect();
    const producer = this.producer;
    try {
      const partitions = await this.partitionsOf(topic);
      if (!partitions) {
        // Not in the metadata yet: a broker that creates topics on first use makes it on this send.
        await producer.send({ topic, acks: -1, messages });
        return;
      }
      const placed = messages.map((m): Message => {
        const message: Message = { key: m.key, value: m.value, headers: m.headers };
        return { ...message, partition: this.partitioner({ topic, partitionMetadata: partitions, message }) };
      });
      let unsent = placed;
      for (let round = 1; unsent.length > 0; round++) {
        const missing = unacknowledgedPartitions(
          topic,
          unsent,
          await producer.send({ topic, acks: -1, messages: unsent }),
        );
        if (missing.size > 0 && round >= MISSING_PARTITION_ROUNDS)
          throw new Error(`kafka acknowledged ${topic} without partitions ${[...missing].join(', ')}`);
        if (missing.size > 0)
          kafkaLogger.warn(
            { topic, partitions: [...missing], round },
            'kafka resolved a send without some partitions; sending those again',
          );
        unsent = unsent.filter((m) => missing.has(m.partition!));
      }
    } catch (err) {
      this.partitionsByTopic.delete(topic);
      this.retire(producer, err);
      throw err;
    }
  }

  /**
   * The topic's partitions, asked once: messages are placed here with kafkajs' own default
   * partitioner (the same partition per key as before), so that which partitions a send covers is
   * known and each one's acknowledgement can be checked (unacknowledgedPartitions).
   * Undefined when the broker does not know the topic.
   */
  private partitionsOf(topic: string): Promise<PartitionMetadata[] | undefined> {
    const cached = this.partitionsByTopic.get(topic);
    let known = cached && Date.now() - cached.at < PARTITIONS_MAX_AGE_MS ? cached.partitions : undefined;
    if (!known) {
      known = this.admin.fetchTopicMetadata({ topics: [topic] }).then(
        (m) => m.topics[0]?.partitions,
        (err: { type?: string }) => {
          if (err.type === 'UNKNOWN_TOPIC_OR_PARTITION') return undefined;
          throw err;
        },
      );
      const entry = { at: Date.now(), partitions: known };
      this.partitionsByTopic.set(topic, entry);
      // An unknown topic or a failed lookup is asked again next time (and a newer entry is left alone).
      const forget = () => this.partitionsByTopic.get(topic) === entry && this.partitionsByTopic.delete(topic);
      known.then((partitions) => partitions ?? forget(), forget);
    }
    return known;
  }

  async subscribe(groupId: string, topics: string[], sink: MessageSink, batchSink?: BatchSink): Promise<Subscription> {
    const sessionTimeout = this.options.sessionTimeoutMs ?? 10_000;
    const create = () =>
      this.kafka.consumer({
        groupId: this.options.groupPrefix ? `${this.options.groupPrefix}.${groupId}` : groupId,
        sessionTimeout,
        rebalanceTimeout: sessionTimeout,
        heartbeatInterval: Math.max(300, Math.floor(sessionTimeout / 7)),
        // Low fetch wait: clinicians see events within milliseconds, not after a 5 s long poll.
        maxWaitTimeInMs: this.options.fetchMaxWaitMs ?? 500,
        allowAutoTopicCreation: true,
      });
    const launch = async (consumer: Consumer) => {
      await consumer.connect();
      for (const topic of topics) await consumer.subscribe({ topic, fromBeginning: true });
      const partitionsConsumedConcurrently = this.options.partitionsConsumedConcurrently ?? 4;
      if (batchSink) {
        await consumer.run({
          partitionsConsumedConcurrently,
          eachBatchAutoResolve: false,
          eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
            // Slices, so a long backlog is acknowledged (and the group heartbeated) as it goes.
            for (let i = 0; i < batch.messages.length; i += BATCH_SLICE) {
              if (!isRunning() || isStale()) return;
              const slice = batch.messages.slice(i, i + BATCH_SLICE);
              await batchSink(slice.map((message) => received(batch.topic, batch.partition, message)));
              resolveOffset(slice[slice.length - 1].offset);
              await heartbeat();
            }
          },
        });
        return;
      }
      await consumer.run({
        partitionsConsumedConcurrently,
        eachMessage: async ({ topic, partition, message }) => {
          await sink(received(topic, partition, message));
        },
      });
    };
    const supervised = await superviseConsumer({
      create,
      launch,
      onGiveUp: (err, relaunchInMs) =>
        kafkaLogger.error(
          { err, groupId, relaunchInMs },
          'consumer stopped after a crash kafkajs does not restart; starting a new one',
        ),
    });
    this.consumers.add(supervised);
    // Start-up waits for the first join, but not forever: a slow rebalance is kafkajs's to finish in
    // the background, and a process that refused to start over it would help nobody.
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        kafkaLogger.warn(`consumer group ${groupId} has not joined yet; it keeps trying in the background`);
        resolve();
      }, this.options.joinTimeoutMs ?? 30_000);
    });
    await Promise.race([supervised.joined, late]);
    clearTimeout(timer);
    return {
      stop: async () => {
        this.consumers.delete(supervised);
        await supervised.stop();
      },
    };
  }

  /** Every topic the principal may describe (the ACLs hide the rest). */
  async listTopics(): Promise<string[]> {
    await this.connect();
    return this.admin.listTopics();
  }

  /** Ready when a broker answers a metadata request. */
  async check(): Promise<void> {
    await this.connect();
    await this.admin.describeCluster();
  }

  async close(): Promise<void> {
    // Side by side: each stop waits for its consumer's fetch under way (up to the fetch wait).
    await Promise.all([...this.consumers].map((consumer) => consumer.stop().catch(() => undefined)));
    this.consumers.clear();
    // Not only when connected: a retired producer leaves `connected` unset with the admin still connected.
    await this.producer.disconnect().catch(() => undefined);
    await this.admin.disconnect().catch(() => undefined);
    this.connected = undefined;
  }
}
