import {
  BeforeApplicationShutdown,
  DynamicModule,
  Global,
  Inject,
  Injectable,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PlatformConfig } from '@countylink/platform';
import { AppMessaging, AppMessagingOptions } from './app-messaging';
import { EventPublisher } from './event-publisher';
import { HisInstitutions } from './his-institutions';
import { InProcessTransport } from './in-process.transport';
import { KafkaTransport } from './kafka.transport';
import { kafkaClientSecurity } from './kafka-security';
import { TRANSPORT, Transport } from './transport';

/** Every app's messaging in this process, so that start and stop happen in the right order. */
@Injectable()
export class MessagingLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly apps: AppMessaging[] = [];

  constructor(@Inject(TRANSPORT) private readonly transport: Transport) {}

  register(app: AppMessaging): void {
    this.apps.push(app);
  }

  /**
   * Every app's consumers subscribe before any relay publishes: the in-process bus keeps nothing,
   * so an event relayed before a consumer of another app subscribed (the directory seed at start)
   * would never reach it.
   */
  async onApplicationBootstrap(): Promise<void> {
    await Promise.all(this.apps.map((app) => app.startConsumers()));
    for (const app of this.apps) await app.startRelay();
  }

  /**
   * Stop consumers and flush every outbox while the databases are still open (Nest closes the
   * TypeORM data sources in its shutdown hooks, in no order we control). A request that commits
   * after this leaves its event in the outbox, published at the next start: late, never lost.
   */
  async beforeApplicationShutdown(): Promise<void> {
    for (const app of this.apps.splice(0)) await app.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.transport.close();
  }
}

function createTransport(config: PlatformConfig): Transport {
  if (!config.KAFKA_BROKERS) return new InProcessTransport();
  return new KafkaTransport({
    clientId: config.KAFKA_CLIENT_ID,
    brokers: config.KAFKA_BROKERS,
    sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
    groupPrefix: config.KAFKA_GROUP_PREFIX,
    partitionsConsumedConcurrently: config.KAFKA_PARTITIONS_CONSUMED_CONCURRENTLY,
    fetchMaxWaitMs: config.KAFKA_FETCH_MAX_WAIT_MS,
    security: kafkaClientSecurity(config),
  });
}

/** Kafka when KAFKA_BROKERS is set, the in-process bus otherwise; imported once by the root module. */
@Global()
@Module({})
export class MessagingCoreModule {
  static forRoot(): DynamicModule {
    return {
      module: MessagingCoreModule,
      providers: [
        { provide: TRANSPORT, useFactory: createTransport, inject: [PlatformConfig] },
        // Before any app publishes or subscribes: which institutions have HIS topics (none in-process).
        {
          provide: HisInstitutions,
          useFactory: (transport: Transport) => HisInstitutions.resolve(transport),
          inject: [TRANSPORT],
        },
        MessagingLifecycle,
      ],
      exports: [TRANSPORT, HisInstitutions, MessagingLifecycle],
    };
  }
}

/** An app's publisher, relay and consumers, bound to the app's own schema and data source. */
@Module({})
export class MessagingModule {
  static forApp(options: AppMessagingOptions): DynamicModule {
    return {
      module: MessagingModule,
      providers: [
        {
          provide: EventPublisher,
          inject: [HisInstitutions],
          useFactory: (institutions: HisInstitutions) =>
            new EventPublisher(options.schema, `/countylink/${options.app}`, institutions, options.feedAudience),
        },
        {
          provide: AppMessaging,
          inject: [
            getDataSourceToken(options.dataSourceName),
            TRANSPORT,
            PlatformConfig,
            MessagingLifecycle,
            HisInstitutions,
          ],
          useFactory: (
            dataSource: DataSource,
            transport: Transport,
            config: PlatformConfig,
            lifecycle: MessagingLifecycle,
            institutions: HisInstitutions,
          ) => {
            const app = new AppMessaging(
              options,
              dataSource,
              transport,
              config.DATABASE_URL,
              config.OUTBOX_POLL_MS,
              config.CONSUMER_MAX_ATTEMPTS,
              institutions,
            );
            lifecycle.register(app);
            return app;
          },
        },
      ],
      exports: [EventPublisher, AppMessaging],
    };
  }
}
