/**
 * A real local Kafka for development: Apache Kafka (one KRaft node, from the Maven jars) with every
 * CountyLink topic and its dead-letter topic, secured as deploy/ is — SASL_SSL with SCRAM-SHA-512,
 * a principal per backbone app and per HIS, ACLs from libs/contracts/src/kafka-access.ts. The CA,
 * passwords and data are kept in .data/kafka (git-ignored) across restarts.
 * `npm run kafka:local`, then paste the printed exports in the terminals of `npm start` and `his-sim`
 * (or source a principal's file: .data/kafka/security/env/<principal>.env).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { BACKBONE_APPS, backbonePrincipal, hisPrincipal } from '../../../contracts/src/kafka-access';
import { ApacheKafka } from './apache-kafka';
import { directoryInstitutions, startCountyLinkApacheKafka } from './countylink-apache-kafka';

const exportLine = (env: Record<string, string>) =>
  `export ${Object.entries(env)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ')}`;

function kcatExample(kafka: ApacheKafka, user: string): string {
  const env = kafka.clientEnv(user);
  return [
    `kcat -L -b ${env.KAFKA_BROKERS} -X security.protocol=SASL_SSL -X sasl.mechanisms=SCRAM-SHA-512`,
    `-X sasl.username=${env.KAFKA_SASL_USERNAME} -X sasl.password=${env.KAFKA_SASL_PASSWORD} -X ssl.ca.location=${env.KAFKA_SSL_CA_FILE}`,
  ].join(' ');
}

/** One file of exports per principal (mode 600), to `source` where pasting is awkward (a his-sim per institution). */
function writeEnvFiles(kafka: ApacheKafka, users: string[]): string {
  const dir = join(dirname(kafka.security!.credentialsFile), 'env');
  mkdirSync(dir, { recursive: true });
  for (const user of users)
    writeFileSync(join(dir, `${user}.env`), `${exportLine(kafka.clientEnv(user))}\n`, { mode: 0o600 });
  return dir;
}

async function main(): Promise<void> {
  const dir = resolve(process.env.KAFKA_LOCAL_DIR ?? '.data/kafka');
  const institutions = directoryInstitutions(
    process.env.DIRECTORY_SEED_FILE ? resolve(process.env.DIRECTORY_SEED_FILE) : undefined,
  );
  const started = Date.now();
  const kafka = await startCountyLinkApacheKafka(dir, 1, { institutions });
  const standalone = backbonePrincipal('standalone');
  const apps = BACKBONE_APPS.filter((app) => app !== 'standalone');
  const envDir = writeEnvFiles(kafka, [...BACKBONE_APPS.map(backbonePrincipal), ...institutions.map(hisPrincipal)]);
  process.stdout.write(
    [
      `Apache Kafka 3.9 (KRaft, 1 node; SASL_SSL + SCRAM-SHA-512, ACLs) up in ${((Date.now() - started) / 1000).toFixed(1)} s, data in ${dir}`,
      `(every password: ${kafka.security!.credentialsFile}; each principal's exports: ${envDir}/<principal>.env). In other terminals:`,
      '',
      '# the backbone, all apps in one process (npm start):',
      `  ${exportLine(kafka.clientEnv(standalone))}`,
      '# or one app a process (npm run start:<app>), each as its own principal:',
      ...apps.map((app) => `  ${exportLine(kafka.clientEnv(backbonePrincipal(app)))}   # ${app}`),
      '# the HIS of an institution (npm run his-sim -- <institution>), as its own principal his-<institution>:',
      ...institutions.map((id) => `  ${exportLine(kafka.clientEnv(hisPrincipal(id)))}   # his-sim -- ${id}`),
      '# brokers and topics, as the backbone sees them:',
      `  ${kcatExample(kafka, standalone)}`,
      '',
    ].join('\n'),
  );
  const stop = () => void kafka.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`kafka:local: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
