// Relative imports: jest loads globalSetup without the moduleNameMapper.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCountyLinkApacheKafka } from '../libs/testing/src/kafka-apache/countylink-apache-kafka';
import { E2E_BACKBONE_GROUP_PREFIXES } from '../libs/testing/src/kafka-apache/e2e-kafka';
import { startTestPostgres } from '../libs/testing/src/postgres/test-postgres';

/**
 * One PostgreSQL server and one Apache Kafka node (KRaft, from the Maven jars) for the whole e2e run;
 * each suite makes its own database and uses its own consumer groups. Kafka is secured as deploy/
 * runs it (SASL_SSL, SCRAM-SHA-512, the access matrix's ACLs), so every suite on it goes through
 * TLS, authentication and authorization. Addresses, the CA and the credentials file reach the
 * workers through env, as does the directory the apps log into (TEST_LOG_DIR). Suites that need a
 * broker to fail on cue still start librdkafka's mock.
 */
export default async function globalSetup(): Promise<void> {
  const [pg, kafka] = await Promise.all([
    startTestPostgres(),
    startCountyLinkApacheKafka(mkdtempSync(join(tmpdir(), 'countylink-kafka-')), 1, {
      backboneGroupPrefixes: E2E_BACKBONE_GROUP_PREFIXES,
    }),
  ]);
  process.env.TEST_PG_ADMIN_URL = pg.adminUrl;
  // Every test app logs into a file here; the teardown searches them for patient names.
  process.env.TEST_LOG_DIR ??= mkdtempSync(join(tmpdir(), 'countylink-e2e-logs-'));
  process.env.TEST_KAFKA_BROKERS = kafka.bootstrapServers;
  process.env.TEST_KAFKA_CA_FILE = kafka.security!.caFile;
  process.env.TEST_KAFKA_CREDENTIALS_FILE = kafka.security!.credentialsFile;
  (globalThis as Record<string, unknown>).__countylinkHarness = { pg, kafka };
}
