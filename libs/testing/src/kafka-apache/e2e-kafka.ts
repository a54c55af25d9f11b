import { readFileSync } from 'node:fs';
import { KafkaConfig } from 'kafkajs';
import { backbonePrincipal } from '../../../contracts/src/kafka-access';
import { KafkaClientSecurity, kafkaConnectionOptions } from '../../../messaging/src/kafka-security';

/**
 * The e2e run's Apache Kafka (test/global-setup.ts) is secured like production: its address, CA
 * and SCRAM users reach the jest workers through TEST_KAFKA_BROKERS, TEST_KAFKA_CA_FILE and
 * TEST_KAFKA_CREDENTIALS_FILE. Suites connect as the standalone app's principal unless they ask
 * for another; a librdkafka mock cluster of a suite's own stays unauthenticated.
 */
export const E2E_KAFKA_USER = backbonePrincipal('standalone');

/** Consumer groups the backbone principals may use on the e2e broker: the apps' own, test apps' `test-…` and event collectors'. */
export const E2E_BACKBONE_GROUP_PREFIXES = ['countylink.', 'test-', 'collector-'];

let users: Record<string, string> | undefined;

function e2eUsers(): Record<string, string> {
  const file = process.env.TEST_KAFKA_CREDENTIALS_FILE;
  if (!file)
    throw new Error('TEST_KAFKA_CREDENTIALS_FILE is not set: run e2e tests through jest (globalSetup starts Kafka)');
  users ??= (JSON.parse(readFileSync(file, 'utf8')) as { users: Record<string, string> }).users;
  return users;
}

/** Whether `brokers` are the e2e run's secured Apache Kafka (not a suite's own mock cluster). */
export function isE2eKafka(brokers: string): boolean {
  return brokers === process.env.TEST_KAFKA_BROKERS && process.env.TEST_KAFKA_CREDENTIALS_FILE !== undefined;
}

/** TLS and SCRAM as `user` for the e2e broker; nothing for any other brokers. */
export function e2eKafkaSecurity(brokers: string, user = E2E_KAFKA_USER): KafkaClientSecurity | undefined {
  if (!isE2eKafka(brokers)) return undefined;
  const password = e2eUsers()[user];
  if (!password) throw new Error(`the e2e Kafka has no user ${user}`);
  return {
    ssl: true,
    caFile: process.env.TEST_KAFKA_CA_FILE,
    sasl: { mechanism: 'scram-sha-512', username: user, password },
  };
}

/** A kafkajs config for `brokers`, authenticated as `user` when they are the e2e broker. */
export function kafkaClientConfigFor(brokers: string, user = E2E_KAFKA_USER, clientId = user): KafkaConfig {
  return { clientId, brokers: brokers.split(','), ...kafkaConnectionOptions(e2eKafkaSecurity(brokers, user)) };
}

/** An app's KAFKA_* environment for `brokers`, as `user` on the e2e broker. */
export function kafkaEnvFor(brokers: string, user = E2E_KAFKA_USER): Record<string, string> {
  const security = e2eKafkaSecurity(brokers, user);
  if (!security?.sasl) return { KAFKA_BROKERS: brokers };
  return {
    KAFKA_BROKERS: brokers,
    KAFKA_SSL_CA_FILE: security.caFile!,
    KAFKA_SASL_MECHANISM: security.sasl.mechanism,
    KAFKA_SASL_USERNAME: security.sasl.username,
    KAFKA_SASL_PASSWORD: security.sasl.password,
  };
}
