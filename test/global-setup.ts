// Relative imports: jest loads globalSetup without the moduleNameMapper.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCountyLinkApacheKafka } from '../libs/testing/src/kafka-apache/countylink-apache-kafka';
import { startTestPostgres } from '../libs/testing/src/postgres/test-postgres';

/**
 * One PostgreSQL server and one Apache Kafka node (KRaft, from the Maven jars) for the whole e2e run;
 * each suite makes its own database and uses its own consumer groups. Their addresses reach the
 * workers through env. Suites that need a broker to fail on cue still start librdkafka's mock.
 */
export default async function globalSetup(): Promise<void> {
  const [pg, kafka] = await Promise.all([startTestPostgres(), startCountyLinkApacheKafka(mkdtempSync(join(tmpdir(), 'countylink-kafka-')))]);
  process.env.TEST_PG_ADMIN_URL = pg.adminUrl;
  process.env.TEST_KAFKA_BROKERS = kafka.bootstrapServers;
  (globalThis as Record<string, unknown>).__countylinkHarness = { pg, kafka };
}
