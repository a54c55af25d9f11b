import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { backbonePrincipal, countyLinkAccess } from '@countylink/contracts';
import { directoryInstitutions } from '@countylink/testing';
import { ADMIN_USER } from '@countylink/testing/kafka-apache/kafka-cluster-security';
import { securedListeners } from '@countylink/testing/kafka-apache/kafka-node-config';
import { writeDeploySecrets } from '@countylink/testing/kafka-apache/kafka-secrets.cli';
import { BROKER_CN } from '@countylink/testing/kafka-apache/kafka-tls';

/** deploy/'s Kafka is secured as the test harness's is: checked against the harness, as no Docker engine runs here. */
interface Service {
  entrypoint?: string[];
  command?: string[];
  environment?: Record<string, string | number>;
  secrets?: Array<{ source: string; target: string }>;
  volumes?: string[];
  hostname?: string;
  depends_on?: Record<string, { condition: string }>;
}
const compose = parse(readFileSync(join(__dirname, 'compose.yaml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
  secrets: Record<string, { file: string }>;
};
const nodeScript = readFileSync(join(__dirname, 'kafka', 'kafka-node.sh'), 'utf8');
const appServices = Object.entries(compose.services).filter(([, s]) => s.environment?.APP !== undefined);
const kafkaNodes = Object.entries(compose.services).filter(([name]) => /^kafka-\d$/.test(name));

const properties = (lines: string[]) =>
  new Map(lines.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
/** The server.properties kafka-node.sh writes (its first heredoc). */
const deployed = properties(/cat > "\$config" <<EOF\n([\s\S]*?)\nEOF/.exec(nodeScript)![1].split('\n'));
/** Where a service finds a compose secret: /run/secrets/<target>. */
const secretPath = (service: Service, source: string) => {
  const mount = service.secrets?.find((s) => s.source === source);
  return mount && `/run/secrets/${mount.target}`;
};
const userFile = (user: string) => `./secrets/kafka/users/${user}.password`;

describe('deploy/ Kafka security', () => {
  it("runs every node with the harness's listeners, TLS, SASL and authorizer settings", () => {
    const harness = properties(
      securedListeners(
        { brokerPort: 9092, internalPort: 9094, controllerPort: 9093 },
        {
          tls: {
            caFile: '/run/secrets/kafka-ca.pem',
            keystoreFile: '/run/secrets/kafka-keystore.pem',
            brokerDn: `CN=${BROKER_CN}`,
          },
          superUsers: [ADMIN_USER],
        },
      ),
    );
    const withoutHosts = (v: string | undefined) => v?.replace(/\/\/[^:,]*:/g, '//:');
    for (const [key, value] of harness) {
      if (key === 'advertised.listeners')
        expect(deployed.get(key)).toBe(
          'CLIENT://${KAFKA_ADVERTISED_HOST}:9092,INTERNAL://${KAFKA_ADVERTISED_HOST}:9094',
        );
      else expect({ key, value: withoutHosts(deployed.get(key)) }).toEqual({ key, value: withoutHosts(value) });
    }
    expect(deployed.get('allow.everyone.if.no.acl.found')).toBe('false');
    expect(nodeScript).toMatch(/kafka-storage\.sh format --ignore-formatted .*"\$\{scram\[@\]\}"/);
  });

  it('gives every node the script, its secrets and the SCRAM users to format with', () => {
    expect(kafkaNodes.map(([name]) => name)).toEqual(['kafka-1', 'kafka-2', 'kafka-3']);
    for (const [name, node] of kafkaNodes) {
      expect(node.entrypoint).toEqual(['/bin/bash', '/opt/countylink/kafka-node.sh']);
      expect(node.volumes).toEqual(
        expect.arrayContaining([
          './kafka/kafka-node.sh:/opt/countylink/kafka-node.sh:ro',
          './secrets/kafka/users:/etc/countylink/kafka-users:ro',
        ]),
      );
      expect([secretPath(node, 'kafka-ca'), secretPath(node, 'kafka-keystore')]).toEqual([
        deployed.get('ssl.truststore.location'),
        deployed.get('ssl.keystore.location'),
      ]);
      expect({ host: node.environment?.KAFKA_ADVERTISED_HOST, id: node.environment?.KAFKA_NODE_ID }).toEqual({
        host: name,
        id: Number(name.slice(-1)),
      });
    }
  });

  it('connects each app as its own principal, with the CA and its password from secrets', () => {
    for (const [name, service] of appServices) {
      const env = service.environment!;
      expect({
        name,
        user: env.KAFKA_SASL_USERNAME,
        mechanism: env.KAFKA_SASL_MECHANISM,
        password: env.KAFKA_SASL_PASSWORD,
      }).toEqual({
        name,
        user: backbonePrincipal(name as 'referral-registry'),
        mechanism: 'scram-sha-512',
        password: undefined,
      });
      expect(env.KAFKA_SSL_CA_FILE).toBe(secretPath(service, 'kafka-ca'));
      const passwordSecret = service.secrets!.find((s) => `/run/secrets/${s.target}` === env.KAFKA_SASL_PASSWORD_FILE)!;
      expect(compose.secrets[passwordSecret.source].file).toBe(
        userFile(backbonePrincipal(name as 'referral-registry')),
      );
    }
  });

  it('puts the access matrix in place as the admin, after the topics and before any app', () => {
    const acls = compose.services['kafka-acls'];
    expect(acls.command).toEqual(['node', 'dist/libs/messaging/src/cli/kafka-acls.cli.js']);
    expect(existsSync(join(__dirname, '..', 'libs', 'messaging', 'src', 'cli', 'kafka-acls.cli.ts'))).toBe(true);
    expect(acls.environment).toMatchObject({
      KAFKA_SASL_USERNAME: ADMIN_USER,
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SSL_CA_FILE: secretPath(acls, 'kafka-ca'),
    });
    expect(acls.environment!.DIRECTORY_SEED_FILE).toBe(
      compose.services['referral-registry'].environment!.DIRECTORY_SEED_FILE,
    );
    expect(
      compose.secrets[
        acls.secrets!.find((s) => `/run/secrets/${s.target}` === acls.environment!.KAFKA_SASL_PASSWORD_FILE)!.source
      ].file,
    ).toBe(userFile(ADMIN_USER));
    expect(acls.depends_on).toEqual({ 'kafka-topics': { condition: 'service_completed_successfully' } });
    for (const [name, service] of appServices)
      expect({ name, acls: service.depends_on?.['kafka-acls'] }).toEqual({
        name,
        acls: { condition: 'service_completed_successfully' },
      });
    // The topics job is an admin client too: every tool call carries its settings.
    const script = compose.services['kafka-topics'].command!.join('\n');
    const calls = script.match(/\/opt\/kafka\/bin\/kafka-[a-z]+\.sh [^\n]*/g)!;
    expect(calls.length).toBeGreaterThan(2);
    for (const call of calls) expect(call).toContain('--command-config "$$admin"');
  });

  it('has kafka:secrets write every file compose reads: a CA, a broker certificate for each node, a password for each principal', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'countylink-deploy-secrets-'));
    try {
      const institutions = directoryInstitutions();
      const users = await writeDeploySecrets(
        dir,
        kafkaNodes.map(([name]) => name),
        institutions,
      );
      expect(users.sort()).toEqual([ADMIN_USER, ...countyLinkAccess(institutions).map((a) => a.principal)].sort());
      for (const { file } of Object.values(compose.secrets))
        expect({ file, there: existsSync(join(dir, file.replace('./secrets/kafka/', ''))) }).toEqual({
          file,
          there: true,
        });
      for (const user of users) expect(existsSync(join(dir, 'users', `${user}.password`))).toBe(true);
      const keystore = readFileSync(join(dir, 'broker-keystore.pem'), 'utf8');
      expect(keystore).toMatch(/-----BEGIN PRIVATE KEY-----/);
      const broker = new X509Certificate(
        /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/.exec(keystore)![0],
      );
      const ca = new X509Certificate(readFileSync(join(dir, 'ca.pem')));
      expect({ subject: broker.subject, signedByCa: broker.verify(ca.publicKey), ca: ca.ca }).toEqual({
        subject: `CN=${BROKER_CN}`,
        signedByCa: true,
        ca: true,
      });
      for (const [name] of kafkaNodes) expect(broker.subjectAltName).toContain(`DNS:${name}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
