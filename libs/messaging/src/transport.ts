/** A message as it crosses the broker: key, protobuf value, CloudEvents headers. */
export interface WireMessage {
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

export interface ReceivedMessage extends WireMessage {
  topic: string;
  partition: number;
  offset: string;
}

export type MessageSink = (message: ReceivedMessage) => Promise<void>;

/** Consecutive messages of one partition, in offset order; acknowledged once it resolves. */
export type BatchSink = (messages: readonly ReceivedMessage[]) => Promise<void>;

export interface Subscription {
  stop(): Promise<void>;
}

/**
 * Where published events go: Kafka in production and tests, an in-process bus for the embedded
 * default. Both are driven by the same outbox relay and consumed through the same inbox code.
 */
export interface Transport {
  readonly kind: 'kafka' | 'in-process';
  /** Publishes in order; resolves only when the broker has every message. */
  send(topic: string, messages: WireMessage[]): Promise<void>;
  /**
   * Delivers each message to `sink`, one partition at a time, at least once. With `batchSink`, a
   * transport that fetches many at once (Kafka) hands them over a partition's batch at a time.
   */
  subscribe(groupId: string, topics: string[], sink: MessageSink, batchSink?: BatchSink): Promise<Subscription>;
  /** The topics this client may see (Kafka: those its principal may describe); the in-process bus has none of its own. */
  listTopics(): Promise<string[]>;
  check(): Promise<void>;
  close(): Promise<void>;
}

export const TRANSPORT = Symbol('TRANSPORT');

export const DLQ_REASON_HEADER = 'x-countylink-dlq-reason';
