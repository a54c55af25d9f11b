import { ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { Kafka, KafkaConfig, logLevel } from 'kafkajs';
// Relative imports: jest's globalSetup and the built CLI load this without the path aliases.
import type { KafkaPrincipalAccess } from '../../../contracts/src/kafka-access';
import { applyKafkaAccess, KafkaClientSecurity, kafkaConnectionOptions } from '../../../messaging/src/kafka-security';
import { kafkaClassPath, LOG4J_CONFIG } from './kafka-jars';
import { addScramUsers, prepareSecurity, SecuredCluster, storageFormatArgs } from './kafka-cluster-security';
import { KafkaNode, layOut } from './kafka-node-config';

export interface ApacheKafkaOptions {
  /** One node (most suites, `kafka:local`) or three (replication 3, min ISR 2: the fault drills). */
  nodes?: 1 | 3;
  /** Where the nodes keep their logs and data; reused (not formatted again) when it holds a cluster. */
  dir: string;
  topics?: Array<{ name: string; partitions: number }>;
  /**
   * Clients on SASL_SSL (SCRAM-SHA-512) with these principals and ACLs, brokers among themselves on
   * mutual TLS; a throwaway CA and the passwords are made once per `dir`. Unset: PLAINTEXT, no ACLs.
   */
  security?: { access: KafkaPrincipalAccess[] };
}

/** What a client of a secured cluster needs. */
export interface ApacheKafkaSecurity {
  caFile: string;
  /** JSON of every SCRAM user and its password, in the data directory (mode 600). */
  credentialsFile: string;
  /** The super user the harness administers the cluster as (topics, ACLs, users added later). */
  adminUser: string;
  users: Readonly<Record<string, string>>;
}

/**
 * Apache Kafka's own broker in KRaft mode (each node broker and controller), run from the Maven jars
 * with Java 17: what production runs, with a controller, replication and an idempotent producer.
 */
export class ApacheKafka {
  private constructor(
    private readonly nodes: KafkaNode[],
    private readonly classPath: string,
    private readonly secured?: SecuredCluster,
  ) {}

  get bootstrapServers(): string {
    return this.nodes.map((n) => `127.0.0.1:${n.brokerPort}`).join(',');
  }

  /** The CA file and SCRAM users of a secured cluster; undefined for a PLAINTEXT one. */
  get security(): ApacheKafkaSecurity | undefined {
    const s = this.secured;
    return (
      s && {
        caFile: s.tls.caFile,
        credentialsFile: s.credentials.file,
        adminUser: s.adminUser,
        users: s.credentials.users,
      }
    );
  }

  /** TLS and SCRAM settings for `user` (a principal of the access matrix, or the admin). */
  clientSecurity(user: string): KafkaClientSecurity {
    const s = this.secured;
    if (!s) return {};
    const password = s.credentials.users[user];
    if (!password) throw new Error(`no Kafka user ${user} on this cluster`);
    return { ssl: true, caFile: s.tls.caFile, sasl: { mechanism: 'scram-sha-512', username: user, password } };
  }

  /** A kafkajs config connecting as `user`. */
  clientConfig(user: string, clientId = user): KafkaConfig {
    return {
      clientId,
      brokers: this.bootstrapServers.split(','),
      ...kafkaConnectionOptions(this.clientSecurity(user)),
    };
  }

  /** The environment of a CountyLink process (PlatformConfig, the HIS simulator) connecting as `user`. */
  clientEnv(user: string): Record<string, string> {
    const security = this.clientSecurity(user);
    return {
      KAFKA_BROKERS: this.bootstrapServers,
      ...(security.sasl
        ? {
            KAFKA_SSL_CA_FILE: security.caFile!,
            KAFKA_SASL_MECHANISM: security.sasl.mechanism,
            KAFKA_SASL_USERNAME: security.sasl.username,
            KAFKA_SASL_PASSWORD: security.sasl.password,
          }
        : {}),
    };
  }

  static async start(options: ApacheKafkaOptions): Promise<ApacheKafka> {
    const count = options.nodes ?? 1;
    const classPath = await kafkaClassPath();
    const secured = options.security ? await prepareSecurity(options.dir, options.security.access) : undefined;
    const nodes = await layOut(options.dir, count, secured && { tls: secured.tls, superUsers: [secured.adminUser] });
    const cluster = new ApacheKafka(nodes, classPath, secured);
    await cluster.formatAll();
    await Promise.all(nodes.map((n) => cluster.startNode(n.id)));
    await cluster.waitForBrokers(count);
    if (secured) await cluster.applySecurity();
    if (options.topics?.length) await cluster.createTopics(options.topics, count);
    return cluster;
  }

  /** Starts (again) one node, on its same ports and data. */
  async startNode(id: number): Promise<void> {
    const node = this.node(id);
    if (node.process && running(node.process)) return;
    const log = createWriteStream(path.join(node.dir, 'broker.log'), { flags: 'a' });
    node.process = spawn(
      'java',
      [
        // A test broker carries little: a small heap, and the quick JIT that shortens start-up.
        '-Xms128m',
        '-Xmx512m',
        '-XX:+UseSerialGC',
        '-XX:TieredStopAtLevel=1',
        `-Dlog4j2.configurationFile=${LOG4J_CONFIG}`,
        '-cp',
        this.classPath,
        'kafka.Kafka',
        path.join(node.dir, 'server.properties'),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    node.process.stdout?.pipe(log);
    node.process.stderr?.pipe(log);
  }

  /** kill -9 of one node, as a crash would. */
  async killNode(id: number): Promise<void> {
    const child = this.node(id).process;
    if (!child || !running(child)) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.nodes.map(async (n) => {
        const child = n.process;
        if (!child || !running(child)) return;
        await new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
        });
      }),
    );
  }

  /** Starts every node again after `stop()` (same ports and data) and waits until all are brokers again. */
  async startAll(): Promise<void> {
    await Promise.all(this.nodes.map((n) => this.startNode(n.id)));
    await this.waitForBrokers(this.nodes.length);
  }

  private node(id: number): KafkaNode {
    const node = this.nodes.find((n) => n.id === id);
    if (!node) throw new Error(`no Kafka node ${id}`);
    return node;
  }

  /**
   * Formats the nodes that are new. A secured cluster's SCRAM users are written by the format itself
   * (`--add-scram`, KRaft 3.5+): they exist before the first client, and no admin round trip is needed.
   */
  private async formatAll(): Promise<void> {
    const fresh = this.nodes.filter((n) => !existsSync(path.join(n.dir, 'data', 'meta.properties')));
    const s = this.secured;
    if (s && fresh.length < this.nodes.length && s.credentials.formatted.length === 0) {
      throw new Error(
        `Kafka data in ${path.dirname(this.nodes[0].dir)} was made without security (no SCRAM users); remove it to start a secured cluster there`,
      );
    }
    const scram = s && fresh.length === this.nodes.length ? storageFormatArgs(s.credentials.users) : [];
    await Promise.all(
      fresh.map((node) =>
        promisify(execFile)(
          'java',
          [
            '-cp',
            this.classPath,
            'kafka.tools.StorageTool',
            'format',
            `--cluster-id=${this.clusterId(node)}`,
            '-c',
            path.join(node.dir, 'server.properties'),
            ...scram,
          ],
          { timeout: 120_000 },
        ),
      ),
    );
    if (s && scram.length) s.markFormatted();
  }

  /** Users added to the matrix since the format, then the matrix's ACLs (both idempotent). */
  private async applySecurity(): Promise<void> {
    const s = this.secured!;
    await addScramUsers(this.classPath, this.nodes[0].brokerPort, s);
    const admin = this.admin();
    await admin.connect();
    try {
      await applyKafkaAccess(admin, s.access);
    } finally {
      await admin.disconnect();
    }
  }

  /**
   * One id for the whole cluster, kept beside the nodes so a restart of the same directory agrees.
   * Given as `--cluster-id=…`: one in 64 random ids starts with '-', which as a separate argument the
   * storage tool read as an option (a CI run's set-up failed on it).
   */
  private clusterId(node: KafkaNode): string {
    const file = path.join(path.dirname(node.dir), 'cluster-id');
    if (!existsSync(file)) writeFileSync(file, randomBytes(16).toString('base64url'));
    return readFileSync(file, 'utf8').trim();
  }

  private admin() {
    const user = this.secured?.adminUser;
    const config = user
      ? this.clientConfig(user, 'countylink-harness')
      : { clientId: 'countylink-harness', brokers: this.bootstrapServers.split(',') };
    return new Kafka({ ...config, logLevel: logLevel.NOTHING, retry: { retries: 2 } }).admin();
  }

  private async waitForBrokers(count: number): Promise<void> {
    const deadline = Date.now() + 120_000;
    for (;;) {
      for (const n of this.nodes) {
        if (n.process?.exitCode !== null && n.process?.exitCode !== undefined)
          throw new Error(`Kafka node ${n.id} exited with ${n.process.exitCode}; see ${n.dir}/broker.log`);
      }
      const admin = this.admin();
      try {
        await admin.connect();
        const cluster = await admin.describeCluster();
        if (cluster.brokers.length === count && cluster.controller !== null) return;
      } catch {
        // not up yet
      } finally {
        await admin.disconnect().catch(() => undefined);
      }
      if (Date.now() > deadline)
        throw new Error(
          `Apache Kafka did not come up with ${count} broker(s) in 120 s; see ${this.nodes[0].dir}/broker.log`,
        );
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** Topics as production creates them: by the admin API, every partition with a leader before going on. */
  async createTopics(
    topics: Array<{ name: string; partitions: number }>,
    replication = this.nodes.length,
  ): Promise<void> {
    const admin = this.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const missing = topics.filter((t) => !existing.has(t.name));
      if (missing.length) {
        await admin.createTopics({
          waitForLeaders: false,
          topics: missing.map((t) => ({ topic: t.name, numPartitions: t.partitions, replicationFactor: replication })),
        });
      }
      // kafkajs' own wait asks one broker, which may not have the new metadata yet: ask until every partition has a leader.
      const deadline = Date.now() + 60_000;
      for (;;) {
        const led = await admin.fetchTopicMetadata({ topics: topics.map((t) => t.name) }).then(
          (m) => m.topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0)),
          () => false,
        );
        if (led) break;
        if (Date.now() > deadline)
          throw new Error('topics were created but their partitions got no leader within 60 s');
        await new Promise((r) => setTimeout(r, 200));
      }
    } finally {
      await admin.disconnect();
    }
  }
}

/** A child killed by a signal has no exit code, only a signal code. */
function running(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}
