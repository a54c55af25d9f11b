// Relative imports: jest loads globalSetup without the moduleNameMapper.
import { startCountyLinkKafka } from '../libs/testing/src/kafka-mock/countylink-kafka';
import { startTestPostgres } from '../libs/testing/src/postgres/test-postgres';

/**
 * One PostgreSQL server and one mock Kafka cluster for the whole e2e run; each suite makes its own
 * database and uses its own consumer groups. Their addresses reach the workers through env.
 */
export default async function globalSetup(): Promise<void> {
  const pg = await startTestPostgres();
  const kafka = await startCountyLinkKafka();
  process.env.TEST_PG_ADMIN_URL = pg.adminUrl;
  process.env.TEST_KAFKA_BROKERS = kafka.bootstrapServers;
  (globalThis as Record<string, unknown>).__countylinkHarness = { pg, kafka };
}
