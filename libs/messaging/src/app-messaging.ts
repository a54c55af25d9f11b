import { DataSource } from 'typeorm';
import { EventConsumer, ConsumerDefinition } from './event-consumer';
import { FeedAudience } from './his-feed';
import { HisInstitutions } from './his-institutions';
import { OutboxRelay } from './outbox-relay';
import { Transport } from './transport';

export interface AppMessagingOptions {
  /** The app's name; events it publishes carry `ce_source` /countylink/<app>. */
  app: string;
  schema: string;
  dataSourceName: string;
  /** Who may see each of the app's events, for the HIS feeds (see FeedAudience); none: the app feeds nothing. */
  feedAudience?: FeedAudience;
}

/**
 * One app's share of messaging: its outbox relay and its consumer groups. The core module starts
 * every app's messaging after boot and stops it before the transport closes.
 */
export class AppMessaging {
  readonly relay: OutboxRelay;
  private readonly definitions: ConsumerDefinition[] = [];
  private readonly consumers: EventConsumer[] = [];

  constructor(
    readonly options: AppMessagingOptions,
    private readonly dataSource: DataSource,
    private readonly transport: Transport,
    databaseUrl: string,
    pollMs: number,
    private readonly maxAttempts: number,
    private readonly institutions: HisInstitutions = new HisInstitutions(new Set()),
  ) {
    this.relay = new OutboxRelay(dataSource, transport, options.schema, databaseUrl, pollMs);
  }

  /** Called by the app's consumer providers during module init. */
  addConsumer(definition: ConsumerDefinition): void {
    if (this.definitions.some((d) => d.groupId === definition.groupId)) {
      throw new Error(`consumer group ${definition.groupId} is registered twice`);
    }
    this.definitions.push(definition);
  }

  /** Groups join at the same time: each first join costs the broker's group delay once, not once per group. */
  async startConsumers(): Promise<void> {
    const consumers = this.definitions.map(
      (definition) =>
        new EventConsumer(definition, this.dataSource, this.transport, this.maxAttempts, this.institutions),
    );
    this.consumers.push(...consumers);
    await Promise.all(consumers.map((consumer) => consumer.start()));
  }

  async startRelay(): Promise<void> {
    await this.relay.start();
  }

  async stop(): Promise<void> {
    for (const consumer of this.consumers.splice(0)) await consumer.stop();
    await this.relay.stop();
  }
}
