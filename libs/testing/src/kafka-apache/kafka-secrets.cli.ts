/**
 * The files deploy/compose.yaml's Kafka reads, for a first install or a trial:
 *   npm run kafka:secrets [-- <dir> [host,host,…]]   (deploy/secrets/kafka; kafka-1,kafka-2,kafka-3)
 * - ca.pem: a CA made for this cluster (its key is not kept), what every client trusts;
 * - broker-keystore.pem: the brokers' key and certificate (CN=countylink-broker, a SAN per host);
 * - users/<user>.password: one per SCRAM user — countylink-admin, each backbone app, each HIS of
 *   DIRECTORY_SEED_FILE's institutions (the demo directory by default).
 * Files already there are kept, so running it again after adding an institution only adds that
 * HIS's password. A group with its own PKI puts its CA and a broker key + certificate of the same
 * subject in place of the first two.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { countyLinkAccess } from '../../../contracts/src/kafka-access';
import { ADMIN_USER } from './kafka-cluster-security';
import { directoryInstitutions } from './countylink-apache-kafka';
import { ensureCredentials } from './kafka-credentials';
import { ensureBrokerTls } from './kafka-tls';

/** Writes (or completes) a deploy secrets directory; returns the SCRAM users it holds. */
export async function writeDeploySecrets(dir: string, hosts: string[], institutions: string[]): Promise<string[]> {
  const tls = await ensureBrokerTls(dir, [...hosts, 'localhost']);
  const users = [ADMIN_USER, ...countyLinkAccess(institutions).map((a) => a.principal)];
  const credentials = ensureCredentials(dir, users);
  const usersDir = path.join(dir, 'users');
  mkdirSync(usersDir, { recursive: true });
  for (const [user, password] of Object.entries(credentials.users))
    writeFileSync(path.join(usersDir, `${user}.password`), password);
  // The containers run as their images' own users (appuser, node): the files must be readable to
  // them. The directory itself stays the operator's alone (700), which is what keeps others out.
  for (const file of [
    tls.caFile,
    tls.keystoreFile,
    usersDir,
    ...Object.keys(credentials.users).map((u) => path.join(usersDir, `${u}.password`)),
  ]) {
    chmodSync(file, file === usersDir ? 0o755 : 0o644);
  }
  chmodSync(dir, 0o700);
  return Object.keys(credentials.users);
}

async function main(): Promise<void> {
  const [dirArg, hostsArg] = process.argv.slice(2);
  const dir = path.resolve(dirArg ?? 'deploy/secrets/kafka');
  const hosts = (hostsArg ?? 'kafka-1,kafka-2,kafka-3').split(',').filter(Boolean);
  const institutions = directoryInstitutions(
    process.env.DIRECTORY_SEED_FILE ? path.resolve(process.env.DIRECTORY_SEED_FILE) : undefined,
  );
  const users = await writeDeploySecrets(dir, hosts, institutions);
  process.stdout.write(
    `Kafka secrets in ${dir}: ca.pem, broker-keystore.pem (${hosts.join(', ')}), users/ for ${users.join(', ')}\n`,
  );
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`kafka:secrets: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
