import { ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { freePort } from '../postgres/test-postgres';
import { kafkaClassPath, LOG4J_CONFIG } from './kafka-jars';

export interface ApacheKafkaOptions {
  /** One node (most suites, `kafka:local`) or three (replication 3, min ISR 2: the fault drills). */
  nodes?: 1 | 3;
  /** Where the nodes keep their logs and data; reused (not formatted again) when it holds a cluster. */
  dir: string;
  topics?: Array<{ name: string; partitions: number }>;
}

interface KafkaNode {
  id: number;
  brokerPort: number;
  controllerPort: number;
  dir: string;
  process?: ChildProcess;
}

/**
 * Apache Kafka's own broker in KRaft mode (each node broker and controller), run from the Maven jars
 * with Java 17: what production runs, with a controller, replication and an idempotent producer.
 */
export class ApacheKafka {
  private constructor(
    private readonly nodes: KafkaNode[],
    private readonly classPath: string,
  ) {}

  get bootstrapServers(): string {
    return this.nodes.map((n) => `127.0.0.1:${n.brokerPort}`).join(',');
  }

  static async start(options: ApacheKafkaOptions): Promise<ApacheKafka> {
    const count = options.nodes ?? 1;
    const classPath = await kafkaClassPath();
    const nodes = await layOut(options.dir, count);
    const cluster = new ApacheKafka(nodes, classPath);
    await Promise.all(nodes.map((n) => cluster.format(n)));
    await Promise.all(nodes.map((n) => cluster.startNode(n.id)));
    await cluster.waitForBrokers(count);
    if (options.topics?.length) await cluster.createTopics(options.topics, count);
    return cluster;
  }

  /** Starts (again) one node, on its same ports and data. */
  async startNode(id: number): Promise<void> {
    const node = this.node(id);
    if (node.process && node.process.exitCode === null) return;
    const log = createWriteStream(path.join(node.dir, 'broker.log'), { flags: 'a' });
    node.process = spawn('java', [
      // A test broker carries little: a small heap, and the quick JIT that shortens start-up.
      '-Xms128m', '-Xmx512m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1',
      `-Dlog4j2.configurationFile=${LOG4J_CONFIG}`, '-cp', this.classPath, 'kafka.Kafka', path.join(node.dir, 'server.properties'),
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    node.process.stdout?.pipe(log);
    node.process.stderr?.pipe(log);
  }

  /** kill -9 of one node, as a crash would. */
  async killNode(id: number): Promise<void> {
    const child = this.node(id).process;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map(async (n) => {
      const child = n.process;
      if (!child || child.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
      });
    }));
  }

  private node(id: number): KafkaNode {
    const node = this.nodes.find((n) => n.id === id);
    if (!node) throw new Error(`no Kafka node ${id}`);
    return node;
  }

  private async format(node: KafkaNode): Promise<void> {
    if (existsSync(path.join(node.dir, 'data', 'meta.properties'))) return;
    const clusterId = this.clusterId(node);
    await promisify(execFile)('java', ['-cp', this.classPath, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', path.join(node.dir, 'server.properties')], { timeout: 120_000 });
  }

  /** One id for the whole cluster, kept beside the nodes so a restart of the same directory agrees. */
  private clusterId(node: KafkaNode): string {
    const file = path.join(path.dirname(node.dir), 'cluster-id');
    if (!existsSync(file)) writeFileSync(file, randomBytes(16).toString('base64url'));
    return readFileSync(file, 'utf8').trim();
  }

  private admin() {
    return new Kafka({ clientId: 'countylink-harness', brokers: this.bootstrapServers.split(','), logLevel: logLevel.NOTHING, retry: { retries: 2 } }).admin();
  }

  private async waitForBrokers(count: number): Promise<void> {
    const deadline = Date.now() + 120_000;
    for (;;) {
      for (const n of this.nodes) {
        if (n.process?.exitCode !== null && n.process?.exitCode !== undefined) throw new Error(`Kafka node ${n.id} exited with ${n.process.exitCode}; see ${n.dir}/broker.log`);
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
      if (Date.now() > deadline) throw new Error(`Apache Kafka did not come up with ${count} broker(s) in 120 s; see ${this.nodes[0].dir}/broker.log`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** Topics as production creates them: by the admin API, every partition with a leader before going on. */
  async createTopics(topics: Array<{ name: string; partitions: number }>, replication = this.nodes.length): Promise<void> {
    const admin = this.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const missing = topics.filter((t) => !existing.has(t.name));
      if (missing.length) {
        await admin.createTopics({ waitForLeaders: false, topics: missing.map((t) => ({ topic: t.name, numPartitions: t.partitions, replicationFactor: replication })) });
      }
      // kafkajs' own wait asks one broker, which may not have the new metadata yet: ask until every partition has a leader.
      const deadline = Date.now() + 60_000;
      for (;;) {
        const led = await admin.fetchTopicMetadata({ topics: topics.map((t) => t.name) }).then(
          (m) => m.topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0)),
          () => false,
        );
        if (led) break;
        if (Date.now() > deadline) throw new Error('topics were created but their partitions got no leader within 60 s');
        await new Promise((r) => setTimeout(r, 200));
      }
    } finally {
      await admin.disconnect();
    }
  }
}

async function layOut(dir: string, count: number): Promise<KafkaNode[]> {
  const nodes: KafkaNode[] = [];
  for (let id = 1; id <= count; id++) {
    const nodeDir = path.join(dir, `node-${id}`);
    const reuse = existsSync(path.join(nodeDir, 'ports.json'));
    const ports = reuse
      ? (JSON.parse(readFileSync(path.join(nodeDir, 'ports.json'), 'utf8')) as { brokerPort: number; controllerPort: number })
      : { brokerPort: await freePort(), controllerPort: await freePort() };
    mkdirSync(path.join(nodeDir, 'data'), { recursive: true });
    writeFileSync(path.join(nodeDir, 'ports.json'), JSON.stringify(ports));
    nodes.push({ id, dir: nodeDir, ...ports });
  }
  const voters = nodes.map((n) => `${n.id}@127.0.0.1:${n.controllerPort}`).join(',');
  const replication = count;
  const minIsr = count >= 3 ? 2 : 1;
  for (const n of nodes) {
    writeFileSync(path.join(n.dir, 'server.properties'), [
      'process.roles=broker,controller',
      `node.id=${n.id}`,
      `controller.quorum.voters=${voters}`,
      `listeners=PLAINTEXT://127.0.0.1:${n.brokerPort},CONTROLLER://127.0.0.1:${n.controllerPort}`,
      `advertised.listeners=PLAINTEXT://127.0.0.1:${n.brokerPort}`,
      'controller.listener.names=CONTROLLER',
      'inter.broker.listener.name=PLAINTEXT',
      'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
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
    ].join('\n'));
  }
  return nodes;
}
