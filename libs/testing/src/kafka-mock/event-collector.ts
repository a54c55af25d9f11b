import { fromBinary } from '@bufbuild/protobuf';
import { Consumer, Kafka, logLevel } from 'kafkajs';
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

/**
 * A separate kafkajs consumer (its own group, from the beginning) that records and decodes what
 * the apps publish, the way an HIS integrator would see it.
 */
export class EventCollector {
  readonly events: CollectedEvent[] = [];
  private constructor(private readonly consumer: Consumer) {}

  /** On the e2e run's secured broker it reads as `user` (a backbone principal by default). */
  static async start(brokers: string, topics: string[], user?: string): Promise<EventCollector> {
    const kafka = new Kafka({ ...kafkaClientConfigFor(brokers, user, 'event-collector'), logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: `collector-${Math.random().toString(36).slice(2)}`, ...MOCK_FRIENDLY_CONSUMER_CONFIG });
    const collector = new EventCollector(consumer);
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.connect();
    for (const topic of topics) await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(message.headers ?? {})) if (v !== undefined) headers[k] = (Array.isArray(v) ? v[0] : v).toString();
        const type = headers.ce_type;
        let payload: EventPayload<EventType> | undefined;
        let decodeError: string | undefined;
        try {
          if (!type || !isEventType(type) || !message.value) throw new Error(`not a CountyLink event: ${type ?? 'no ce_type'}`);
          payload = fromBinary(EventCatalog[type].schema, message.value) as EventPayload<EventType>;
        } catch (err) {
          decodeError = (err as Error).message;
        }
        collector.events.push({
          topic, partition, offset: message.offset, key: message.key?.toString() ?? null, headers,
          type: type as EventType, payload: payload as EventPayload<EventType>, decodeError, raw: message.value,
        });
      },
    });
    await joined;
    return collector;
  }

  forKey(key: string): CollectedEvent[] {
    return this.events.filter((e) => e.key === key);
  }

  /** Waits until `count` events with this key arrived. */
  waitForKey(key: string, count: number, timeoutMs = 20_000): Promise<CollectedEvent[]> {
    return waitFor(`${count} events for ${key} (have ${this.forKey(key).length})`, () => {
      const found = this.forKey(key);
      return found.length >= count ? found : undefined;
    }, timeoutMs);
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}
