import { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { freePort } from '../postgres/test-postgres';
import { BrokerTls } from './kafka-tls';

export interface KafkaNode {
  id: number;
  /** Where clients connect: SASL_SSL when secured, else PLAINTEXT. */
  brokerPort: number;
  /** Replication between brokers (mutual TLS when secured). */
  internalPort: number;
  controllerPort: number;
  dir: string;
  process?: ChildProcess;
}

/** What a secured node is told: its certificate, and the principals no ACL limits. */
export interface NodeSecurity {
  tls: BrokerTls;
  /** SCRAM users with every right (the harness's admin); the brokers' own certificate principal is always one. */
  superUsers: string[];
}

/**
 * Listeners of a secured node (see README "Kafka security"):
 * - CLIENT, SASL_SSL with SCRAM-SHA-512: every app, HIS and tool, each as its own principal.
 * - INTERNAL (inter-broker) and CONTROLLER, SSL with a required client certificate: only a holder
 *   of a certificate from the cluster's CA — the brokers themselves — gets through, as
 *   `User:CN=countylink-broker`. SCRAM cannot serve the KRaft controller listener (the controller
 *   would need the credentials it has yet to read from its own log); mutual TLS also keeps an
 *   anonymous PLAINTEXT port, which would have to be a super user, off the host.
 */
export function securedListeners(
  n: Pick<KafkaNode, 'brokerPort' | 'internalPort' | 'controllerPort'>,
  security: NodeSecurity,
): string[] {
  const { tls } = security;
  return [
    `listeners=CLIENT://127.0.0.1:${n.brokerPort},INTERNAL://127.0.0.1:${n.internalPort},CONTROLLER://127.0.0.1:${n.controllerPort}`,
    `advertised.listeners=CLIENT://127.0.0.1:${n.brokerPort},INTERNAL://127.0.0.1:${n.internalPort}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=INTERNAL',
    'listener.security.protocol.map=CLIENT:SASL_SSL,INTERNAL:SSL,CONTROLLER:SSL',
    // PEM key stores (Kafka 2.7+): no keytool, no store passwords.
    'ssl.keystore.type=PEM',
    `ssl.keystore.location=${tls.keystoreFile}`,
    'ssl.truststore.type=PEM',
    `ssl.truststore.location=${tls.caFile}`,
    'listener.name.internal.ssl.client.auth=required',
    'listener.name.controller.ssl.client.auth=required',
    'listener.name.client.sasl.enabled.mechanisms=SCRAM-SHA-512',
    'listener.name.client.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;',
    'authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    'allow.everyone.if.no.acl.found=false',
    `super.users=${[`User:${tls.brokerDn}`, ...security.superUsers.map((u) => `User:${u}`)].join(';')}`,
  ];
}

function plaintextListeners(n: KafkaNode): string[] {
  return [
    `listeners=PLAINTEXT://127.0.0.1:${n.brokerPort},CONTROLLER://127.0.0.1:${n.controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${n.brokerPort}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
  ];
}

/** The nodes' directories, ports (kept, so a restart reuses them) and server.properties. */
export async function layOut(dir: string, count: number, security?: NodeSecurity): Promise<KafkaNode[]> {
  const nodes: KafkaNode[] = [];
  for (let id = 1; id <= count; id++) {
    const nodeDir = path.join(dir, `node-${id}`);
    const portsFile = path.join(nodeDir, 'ports.json');
    const kept = existsSync(portsFile) ? (JSON.parse(readFileSync(portsFile, 'utf8')) as Partial<KafkaNode>) : {};
    const ports = {
      brokerPort: kept.brokerPort ?? (await freePort()),
      internalPort: kept.internalPort ?? (await freePort()),
      controllerPort: kept.controllerPort ?? (await freePort()),
    };
    mkdirSync(path.join(nodeDir, 'data'), { recursive: true });
    writeFileSync(portsFile, JSON.stringify(ports));
    nodes.push({ id, dir: nodeDir, ...ports });
  }
  const voters = nodes.map((n) => `${n.id}@127.0.0.1:${n.controllerPort}`).join(',');
  const replication = count;
  const minIsr = count >= 3 ? 2 : 1;
  for (const n of nodes) {
    writeFileSync(
      path.join(n.dir, 'server.properties'),
      [
        'process.roles=broker,controller',
        `node.id=${n.id}`,
        `controller.quorum.voters=${voters}`,
        ...(security ? securedListeners(n, security) : plaintextListeners(n)),
        `log.dirs=${path.join(n.dir, 'data')}`,
        'auto.create.topics.enable=false',
        `default.replication.factor=${replication}`,
        `min.insync.replicas=${minIsr}`,
        `offsets.topic.replication.factor=${replication}`,
        'offsets.topic.num.partitions=8',
        `transaction.state.log.replication.factor=${replication}`,
        `transaction.state.log.min.isr=${minIsr}`,
        // Tests start consumer groups all the time: no 3 s wait for more members to join, and the
        // short session timeouts the suites use (KAFKA_SESSION_TIMEOUT_MS) are allowed.
        'group.initial.rebalance.delay.ms=0',
        'group.min.session.timeout.ms=3000',
        '',
      ].join('\n'),
    );
  }
  return nodes;
}
