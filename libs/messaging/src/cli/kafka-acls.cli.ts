/**
 * Puts the Kafka access matrix (libs/contracts/src/kafka-access.ts) on a secured cluster, as its
 * admin, with each institution's HIS topics (countylink.his-commands.v1.<id>, countylink.his-feed.v1.<id>)
 * made where missing: deploy/'s kafka-acls job, run before any app starts (and harmless to run again).
 *   KAFKA_BROKERS=… KAFKA_SSL_CA_FILE=… KAFKA_SASL_MECHANISM=scram-sha-512 KAFKA_SASL_USERNAME=countylink-admin \
 *   KAFKA_SASL_PASSWORD_FILE=… DIRECTORY_SEED_FILE=… npm run -s kafka:acls
 * One HIS principal per institution of the directory file; backbone groups under KAFKA_GROUP_PREFIX.
 * Grants are added, never taken away: a principal dropped from the matrix keeps its ACLs until an
 * operator deletes them (kafka-acls.sh --remove), so a wrong directory file cannot cut the apps off.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { countyLinkAccess } from '@countylink/contracts';
import { loadKafkaClientConfig } from '@countylink/platform';
import { ensureInstitutionTopics } from '../his-topics-setup';
import { applyKafkaAccess, kafkaClientSecurity, kafkaConnectionOptions } from '../kafka-security';

async function main(): Promise<void> {
  const brokers = process.env.KAFKA_BROKERS;
  if (!brokers) throw new Error('KAFKA_BROKERS must be set');
  const seedFile = resolve(process.env.DIRECTORY_SEED_FILE ?? 'apps/referral-registry/seed/demo-county.json');
  const institutions = (
    JSON.parse(readFileSync(seedFile, 'utf8')) as { institutions: Array<{ id: string }> }
  ).institutions.map((i) => i.id);
  const groupPrefix = process.env.KAFKA_GROUP_PREFIX || 'countylink';
  if (!/^[\w.-]+$/.test(groupPrefix)) throw new Error('KAFKA_GROUP_PREFIX must be letters, digits, _ . or -');
  const access = countyLinkAccess(institutions, { backboneGroupPrefixes: [`${groupPrefix}.`] });
  const security = kafkaClientSecurity(loadKafkaClientConfig(process.env));
  const admin = new Kafka({
    clientId: 'countylink-acls',
    brokers: brokers.split(','),
    ...kafkaConnectionOptions(security),
    logLevel: logLevel.NOTHING,
    retry: { retries: 8, initialRetryTime: 500 },
  }).admin();
  await admin.connect();
  try {
    const made = await ensureInstitutionTopics(admin, institutions);
    process.stdout.write(`HIS topics of ${institutions.length} institutions in place (${made.length} made now)\n`);
    const bindings = await applyKafkaAccess(admin, access);
    process.stdout.write(
      `${bindings} ACL bindings in place for ${access.length} principals: ${access.map((a) => a.principal).join(', ')}\n`,
    );
  } finally {
    await admin.disconnect();
  }
}

main().catch((err: unknown) => {
  // kafkajs and config errors name the broker or the setting, never the password.
  process.stderr.write(`kafka:acls: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
