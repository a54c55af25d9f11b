import { MessageSink, ReceivedMessage, Subscription, Transport, WireMessage } from './transport';

interface Subscriber {
  groupId: string;
  sink: MessageSink;
}

/**
 * The embedded default's bus: `send` hands each message to every subscribed group and resolves
 * once they have all applied (or dead-lettered) it, so the outbox row is deleted only afterwards.
 */
export class InProcessTransport implements Transport {
  readonly kind = 'in-process' as const;
  private readonly subscribers = new Map<string, Subscriber[]>();
  private offset = 0;

  async send(topic: string, messages: WireMessage[]): Promise<void> {
    for (const message of messages) {
      const received: ReceivedMessage = { ...message, topic, partition: 0, offset: String(this.offset++) };
      for (const subscriber of this.subscribers.get(topic) ?? []) await subscriber.sink(received);
    }
  }

  async subscribe(groupId: string, topics: string[], sink: MessageSink): Promise<Subscription> {
    const subscriber = { groupId, sink };
    for (const topic of topics) this.subscribers.set(topic, [...(this.subscribers.get(topic) ?? []), subscriber]);
    return {
      stop: async () => {
        for (const topic of topics)
          this.subscribers.set(
            topic,
            (this.subscribers.get(topic) ?? []).filter((s) => s !== subscriber),
          );
      },
    };
  }

  /** No HIS reaches an in-process bus, so it has no per-institution topics (and no feeds are made). */
  async listTopics(): Promise<string[]> {
    return [];
  }

  async check(): Promise<void> {}

  async close(): Promise<void> {
    this.subscribers.clear();
  }
}
