import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { makePrivateDir } from './kafka-credentials';

export interface BrokerTls {
  /** The throwaway CA's certificate (PEM): what clients trust (KAFKA_SSL_CA_FILE, kcat's ssl.ca.location). */
  caFile: string;
  /** The broker's key, certificate and the CA, in one PEM file (Kafka's ssl.keystore.type=PEM). */
  keystoreFile: string;
  /** The broker certificate's subject, which is its principal on the mTLS listeners: `User:CN=…`. */
  brokerDn: string;
}

export const BROKER_CN = 'countylink-broker';

// A config of our own, so the host's openssl.cnf (its default extensions) changes nothing.
const OPENSSL_CONFIG = (hosts: string[]) => `
[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[broker]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth,clientAuth
subjectAltName = ${hosts.map((h) => (/^[\d.]+$|:/.test(h) ? `IP:${h}` : `DNS:${h}`)).join(',')}
authorityKeyIdentifier = keyid
`;

const openssl = async (dir: string, args: string[]) => {
  try {
    await promisify(execFile)('openssl', args, { cwd: dir, timeout: 30_000 });
  } catch (err) {
    const missing = (err as { code?: string }).code === 'ENOENT';
    throw new Error(
      missing
        ? 'openssl is needed for the Kafka test CA: apt-get install -y openssl'
        : `openssl ${args[0]} failed: ${(err as { stderr?: string }).stderr ?? (err as Error).message}`,
    );
  }
};

/**
 * A throwaway CA and one certificate for the broker(s), made with openssl once per data directory
 * (kept there, git-ignored, beside the data they protect). The broker certificate serves the
 * client listener and is the brokers' own client certificate on the controller and inter-broker
 * listeners (mutual TLS), so one file covers every node on this host.
 */
export async function ensureBrokerTls(dir: string, hosts: string[] = ['localhost', '127.0.0.1']): Promise<BrokerTls> {
  const tls: BrokerTls = {
    caFile: path.join(dir, 'ca.pem'),
    keystoreFile: path.join(dir, 'broker-keystore.pem'),
    brokerDn: `CN=${BROKER_CN}`,
  };
  if (existsSync(tls.caFile) && existsSync(tls.keystoreFile)) return tls;
  makePrivateDir(dir);
  writeFileSync(path.join(dir, 'openssl.cnf'), OPENSSL_CONFIG(hosts));
  // P-256 keys: made in milliseconds, and Kafka's PEM keystore reads unencrypted PKCS#8 EC keys.
  const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  await openssl(dir, [
    'req',
    '-x509',
    '-config',
    'openssl.cnf',
    '-extensions',
    'ca',
    ...newKey,
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '365',
    '-subj',
    '/CN=CountyLink Kafka throwaway CA',
  ]);
  await openssl(dir, [
    'req',
    '-new',
    '-config',
    'openssl.cnf',
    ...newKey,
    '-keyout',
    'broker.key',
    '-out',
    'broker.csr',
    '-subj',
    `/CN=${BROKER_CN}`,
  ]);
  await openssl(dir, [
    'x509',
    '-req',
    '-in',
    'broker.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-set_serial',
    `0x${randomBytes(16).toString('hex')}`,
    '-days',
    '365',
    '-extfile',
    'openssl.cnf',
    '-extensions',
    'broker',
    '-out',
    'broker.crt',
  ]);
  const read = (file: string) => readFileSync(path.join(dir, file), 'utf8');
  writeFileSync(tls.keystoreFile, read('broker.key') + read('broker.crt') + read('ca.pem'), { mode: 0o600 });
  // The CA's key signs nothing more: a leaked data directory cannot mint a broker of another run.
  for (const file of ['ca.key', 'broker.key', 'broker.csr', 'broker.crt']) rmSync(path.join(dir, file));
  return tls;
}
