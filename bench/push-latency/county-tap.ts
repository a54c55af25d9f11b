/**
 * A consumer group of the bench's own on the topics the realtime app reads, for each event's Kafka
 * timestamp (CreateTime: when the outbox relay's producer sent it). It splits the time before the
 * realtime consumer starts on an event in two: event time → on Kafka (the rest of the committing
 * transaction, the relay woken at commit, reading the outbox, producing with acks=all) and on Kafka
 * → the consumer's transaction start (its inbox entry: the fetch and the wait in the partition's
 * queue). Its own fetch time is not used: this process's event loop is the registry's.
 */
import { randomBytes } from 'node:crypto';
import { Consumer, Kafka, logLevel } from 'kafkajs';
import { Topics } from '@countylink/contracts';

export interface Tapped {
  /** Epoch ms: the message's Kafka timestamp (CreateTime, set by the relay's producer). */
  onKafka: number;
}

export class KafkaTap {
  readonly seen = new Map<string, Tapped>();

  private constructor(private readonly consumer: Consumer) {}

  static async start(brokers: string): Promise<KafkaTap> {
    const kafka = new Kafka({ clientId: 'bench-tap', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: `bench-tap-${randomBytes(4).toString('hex')}`, maxWaitTimeInMs: 200 });
    const tap = new KafkaTap(consumer);
    await consumer.connect();
    for (const topic of [Topics.referral, Topics.diagnosis, Topics.scheduling])
      await consumer.subscribe({ topic, fromBeginning: false });
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.run({
      partitionsConsumedConcurrently: 4,
      eachMessage: async ({ message }) => {
        const id = message.headers?.ce_id?.toString();
        if (id) tap.seen.set(id, { onKafka: Number(message.timestamp) });
      },
    });
    await joined;
    return tap;
  }

  reset(): void {
    this.seen.clear();
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect().catch(() => undefined);
  }
}
