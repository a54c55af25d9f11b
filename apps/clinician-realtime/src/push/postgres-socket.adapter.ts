import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { createAdapter } from '@socket.io/postgres-adapter';
import { Pool } from 'pg';
import { PlatformConfig } from '@countylink/platform';
import { REALTIME_SCHEMA } from '../clinician-realtime.constants';
import { ADAPTER_CHANNEL_PREFIX } from './push-messages';

/**
 * The Socket.IO adapter on PostgreSQL: every instance LISTENs on one channel, so a broadcast (and
 * every notification recorded by any instance) reaches the sockets of all of them. Its own small
 * pool: one connection stays in LISTEN, the other publishes.
 */
@Injectable()
export class PostgresSocketAdapter implements OnApplicationShutdown {
  private readonly logger = new Logger(PostgresSocketAdapter.name);
  private readonly pool: Pool;

  constructor(config: PlatformConfig) {
    this.pool = new Pool({
      connectionString: config.DATABASE_URL,
      max: 2,
      application_name: 'countylink-realtime-adapter',
    });
    this.pool.on('error', (err) => this.logger.warn({ err }, 'Socket.IO adapter connection lost; it reconnects'));
  }

  factory(): ReturnType<typeof createAdapter> {
    return createAdapter(this.pool, {
      channelPrefix: ADAPTER_CHANNEL_PREFIX,
      tableName: `"${REALTIME_SCHEMA}"."socket_io_attachments"`,
      errorHandler: (err) => this.logger.warn({ err }, 'Socket.IO adapter error'),
    });
  }

  /** After Nest closed the Socket.IO server (which releases the LISTEN connection). */
  async onApplicationShutdown(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }
}
