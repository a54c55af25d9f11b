import { fromBinary } from '@bufbuild/protobuf';
import { Kafka, KafkaMessage, logLevel } from 'kafkajs';
import { superviseConsumer, SupervisedConsumer } from '@countylink/messaging';
import { EventCatalog, EventPayload, EventType, isEventType } from '@countylink/contracts';
import { MOCK_FRIENDLY_CONSUMER_CONFIG } from './mock-kafka-cluster';
import { waitFor } from '../app/wait-for';
import { kafkaClientConfigFor } from '../kafka-apache/e2e-kafka';

export interface CollectedEvent {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  headers: Record<string, string>;
  /** Undefined when the message is not a known CountyLink event (e.g. dead letters of garbage). */
  type: EventType;
  payload: EventPayload<EventType>;
  decodeError?: string;
  raw: Buffer | null;
}

function decode(topic: string, partition: number, message: KafkaMessage): CollectedEvent {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(message.headers ?? {}))
    if (v !== undefined) headers[k] = (Array.isArray(v) ? v[0] : v).toString();
  const type = headers.ce_type;
  let payload: EventPayload<EventType> | undefined;
  let decodeError: string | undefined;
  try {
    if (!type || !isEventType(type) || !message.value)
      throw new Error(`not a CountyLink event: ${type ?? 'no ce_type'}`);
    payload = fromBinary(EventCatalog[type].schema, message.value) as EventPayload<EventType>;
  } catch (err) {
    decodeError = (err as Error).message;
  }
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key?.toString() ?? null,
    headers,
    type: type as EventType,
    payload: payload as EventPayload<EventType>,
    decodeError,
    raw: message.value,
  };
}

/**
 * A separate kafkajs consumer (its own group, from the beginning) that records and decodes what
 * the apps publish, the way an HIS integrator would see it.
 */
export class EventCollector {
  private constructor(
    private readonly consumer: SupervisedConsumer,
    readonly events: CollectedEvent[],
  ) {}

  /** On the e2e run's secured broker it reads as `user` (a backbone principal by default). */
  static async start(brokers: string, topics: string[], user?: string): Promise<EventCollector> {
    const kafka = new Kafka({ ...kafkaClientConfigFor(brokers, user, 'event-collector'), logLevel: logLevel.NOTHING });
    const groupId = `collector-${Math.random().toString(36).slice(2)}`;
    const events: CollectedEvent[] = [];
    // Supervised as the apps' consumers are: a crash kafkajs does not restart (a stale generation
    // after a broker failover) would otherwise end the collecting silently.
    const consumer = await superviseConsumer({
      create: () => kafka.consumer({ groupId, ...MOCK_FRIENDLY_CONSUMER_CONFIG }),
      launch: async (c) => {
        await c.connect();
        for (const topic of topics) await c.subscribe({ topic, fromBeginning: true });
        await c.run({
          eachMessage: async ({ topic, partition, message }) => void events.push(decode(topic, partition, message)),
        });
      },
      onGiveUp: (err) =>
        process.stderr.write(
          `event collector ${groupId}: consumer crashed (${(err as Error).message}); starting a new one\n`,
        ),
    });
    let joined = false;
    void consumer.joined.then(() => (joined = true));
    await waitFor(`event collector ${groupId} joining its group`, () => joined, 60_000).catch(async (err) => {
      await consumer.stop();
      throw err;
    });
    return new EventCollector(consumer, events);
  }

  forKey(key: string): CollectedEvent[] {
    return this.events.filter((e) => e.key === key);
  }

  /** Waits until `count` events with this key arrived. */
  waitForKey(key: string, count: number, timeoutMs = 20_000): Promise<CollectedEvent[]> {
    return waitFor(
      `${count} events for ${key} (have ${this.forKey(key).length})`,
      () => {
        const found = this.forKey(key);
        return found.length >= count ? found : undefined;
      },
      timeoutMs,
    );
  }

  async stop(): Promise<void> {
    await this.consumer.stop();
  }
}
