import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { KafkaPrincipalAccess } from '../../../contracts/src/kafka-access';
import { ensureCredentials, KafkaCredentials, writeCredentials } from './kafka-credentials';
import { BrokerTls, ensureBrokerTls } from './kafka-tls';

/** The harness's super user: creates topics, ACLs and users added after the format. No app gets it. */
export const ADMIN_USER = 'countylink-admin';

export interface SecuredCluster {
  dir: string;
  tls: BrokerTls;
  credentials: KafkaCredentials;
  adminUser: string;
  access: KafkaPrincipalAccess[];
  /** Every user now known was created by the storage format. */
  markFormatted(): void;
}

/** CA, broker certificate and SCRAM passwords of a data directory, made on its first use. */
export async function prepareSecurity(dataDir: string, access: KafkaPrincipalAccess[]): Promise<SecuredCluster> {
  const dir = path.join(dataDir, 'security');
  const tls = await ensureBrokerTls(dir);
  const credentials = ensureCredentials(dir, [ADMIN_USER, ...access.map((a) => a.principal)]);
  return {
    dir,
    tls,
    credentials,
    adminUser: ADMIN_USER,
    access,
    markFormatted() {
      credentials.formatted = Object.keys(credentials.users);
      writeCredentials(credentials);
    },
  };
}

/** `kafka-storage format` arguments that create every user (SCRAM-SHA-512, 4096 iterations). */
export function storageFormatArgs(users: Readonly<Record<string, string>>): string[] {
  return Object.entries(users).flatMap(([name, password]) => [
    '--add-scram',
    `SCRAM-SHA-512=[name=${name},password=${password}]`,
  ]);
}

/**
 * Users the matrix gained after this directory was formatted (an institution added to the
 * directory): created on the running cluster as its admin with Kafka's own ConfigCommand, since
 * kafkajs has no AlterUserScramCredentials. Rare, so a JVM start each is fine.
 */
export async function addScramUsers(classPath: string, brokerPort: number, s: SecuredCluster): Promise<void> {
  const late = Object.keys(s.credentials.users).filter((u) => !s.credentials.formatted.includes(u));
  if (late.length === 0) return;
  const clientConfig = path.join(s.dir, 'admin-client.properties');
  writeFileSync(
    clientConfig,
    [
      'security.protocol=SASL_SSL',
      'sasl.mechanism=SCRAM-SHA-512',
      `sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="${s.adminUser}" password="${s.credentials.users[s.adminUser]}";`,
      'ssl.truststore.type=PEM',
      `ssl.truststore.location=${s.tls.caFile}`,
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  for (const user of late) {
    try {
      await promisify(execFile)(
        'java',
        [
          '-cp',
          classPath,
          'kafka.admin.ConfigCommand',
          '--bootstrap-server',
          `127.0.0.1:${brokerPort}`,
          '--command-config',
          clientConfig,
          '--alter',
          '--add-config',
          `SCRAM-SHA-512=[password=${s.credentials.users[user]}]`,
          '--entity-type',
          'users',
          '--entity-name',
          user,
        ],
        { timeout: 120_000 },
      );
    } catch {
      // Its message would carry the command line, password included.
      throw new Error(`could not add the Kafka SCRAM user ${user}; see the broker log in ${path.dirname(s.dir)}`);
    }
    s.credentials.formatted.push(user);
    writeCredentials(s.credentials);
  }
}
