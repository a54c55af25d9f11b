import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { ApacheKafka } from './apache-kafka';
import { startCountyLinkApacheKafka } from './countylink-apache-kafka';

/**
 * A suite's own Apache Kafka: every CountyLink topic made by the admin API as deploy/ makes them
 * (no auto-create), data in a fresh temporary directory; for suites whose topics must hold only
 * their own traffic (HIS commands every app would answer, a consumer group read from the start).
 * PLAINTEXT, as the e2e helpers expect of a cluster that is not the run's shared broker (security
 * has suites of its own). The caller stops it.
 */
export function startSuiteKafka(
  nodes: 1 | 3 = 1,
  dir = mkdtempSync(path.join(tmpdir(), `countylink-kafka${nodes}-`)),
): Promise<ApacheKafka> {
  return startCountyLinkApacheKafka(dir, nodes, { secure: false });
}

/**
 * The fault drills' cluster: three KRaft nodes, replication 3, min.insync.replicas 2 — and no HIS
 * topics, so the drills measure the shared topics alone (each institution's two topics would add
 * 48 partitions to every failover on this small a machine, and feed copies to every outbox batch).
 */
export function startThreeNodeCluster(): Promise<ApacheKafka> {
  return startCountyLinkApacheKafka(mkdtempSync(path.join(tmpdir(), 'countylink-kafka3-')), 3, {
    secure: false,
    institutions: [],
  });
}

export interface PartitionState {
  partition: number;
  leader: number;
  isr: number[];
}

/** The leader and in-sync replicas of each of `topic`'s partitions, as the cluster's metadata says now. */
export async function partitionsOf(kafka: ApacheKafka, topic: string): Promise<PartitionState[]> {
  const user = kafka.security?.adminUser;
  const config = user
    ? kafka.clientConfig(user, 'countylink-drill')
    : { clientId: 'countylink-drill', brokers: kafka.bootstrapServers.split(',') };
  const admin = new Kafka({ ...config, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    return topics[0].partitions
      .map((p) => ({ partition: p.partitionId, leader: p.leader, isr: [...p.isr].sort() }))
      .sort((a, b) => a.partition - b.partition);
  } finally {
    await admin.disconnect();
  }
}

/** The node that leads most of `topic`'s partitions (the lowest id on a tie), and the partitions it leads. */
export async function busiestLeader(
  kafka: ApacheKafka,
  topic: string,
): Promise<{ node: number; partitions: number[] }> {
  const byLeader = new Map<number, number[]>();
  for (const p of await waitForPartitions(kafka, topic, 'a leader for every partition', (q) => q.leader >= 0))
    byLeader.set(p.leader, [...(byLeader.get(p.leader) ?? []), p.partition]);
  const [node, partitions] = [...byLeader.entries()].sort((a, b) => b[1].length - a[1].length || a[0] - b[0])[0];
  return { node, partitions };
}

/**
 * Waits until `check` holds for every partition of `topic` (metadata asked again every 200 ms):
 * e.g. a new leader after a kill, or all three replicas back in sync after a restart.
 */
export async function waitForPartitions(
  kafka: ApacheKafka,
  topic: string,
  what: string,
  check: (p: PartitionState) => boolean,
  timeoutMs = 60_000,
): Promise<PartitionState[]> {
  const deadline = Date.now() + timeoutMs;
  let last: PartitionState[] | undefined;
  for (;;) {
    last = await partitionsOf(kafka, topic).catch(() => last);
    if (last?.length && last.every(check)) return last;
    if (Date.now() > deadline)
      throw new Error(`${topic}: ${what} not reached in ${timeoutMs} ms (last seen ${JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
