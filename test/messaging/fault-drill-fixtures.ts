import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { AssignerProtocol, Kafka, logLevel } from 'kafkajs';
import { DataSource } from 'typeorm';
import { EventType } from '@countylink/contracts';
import { EventConsumer, EventHandler, EventHandlers, KafkaTransport } from '@countylink/messaging';
import { ApacheKafka, CollectedEvent, EventCollector, freePort, TestApp, waitFor } from '@countylink/testing';

const ROOT = resolve(__dirname, '../..');

/** One line per drill the test run shows as it is (not console.log's stack-framed block). */
export function printCounts(drill: string, counts: Record<string, number | string>): void {
  process.stdout.write(
    `[fault drill] ${drill}: ${Object.entries(counts)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')}\n`,
  );
}

/** What the separate consumer got for `key` on `topic`, every copy, in the order it got them. */
const received = (events: EventCollector, key: string, topic: string) =>
  events.forKey(key).filter((e) => e.topic === topic);

/** The distinct events of `key` on `topic` in the order the separate consumer got them (later copies skipped). */
export function uniqueEvents(events: EventCollector, key: string, topic: string): CollectedEvent[] {
  const seen = new Set<string>();
  return received(events, key, topic).filter((e) => !seen.has(e.headers.ce_id) && seen.add(e.headers.ce_id));
}

/**
 * Copies beyond the distinct events, told apart: a second record in the log (another offset, so
 * published twice) or the same record read again (the reader's group rebalanced before committing).
 */
export function copiesOf(events: EventCollector, key: string, topic: string): { inLog: number; reread: number } {
  const all = received(events, key, topic);
  const records = new Set(all.map((e) => `${e.partition}/${e.offset}`)).size;
  return { inLog: records - uniqueEvents(events, key, topic).length, reread: all.length - records };
}

export const referralVersion = (e: CollectedEvent) =>
  (e.payload as { referral?: { version: number } }).referral?.version;

/**
 * A consumer group of the messaging library (inbox and all) whose effect is one row per
 * application in `table` (event id, key, referral version): duplicated effects are rows beyond
 * the distinct event ids.
 */
export async function startProbeConsumer(
  ds: DataSource,
  brokers: string,
  table: string,
  groupId: string,
  types: EventType[],
) {
  await ds.query(`CREATE TABLE ${table} (event_id text NOT NULL, key text, version int)`);
  const record: EventHandler<EventType> = async (event, manager) => {
    const version = (event.payload as { referral?: { version?: number } }).referral?.version ?? null;
    await manager.query(`INSERT INTO ${table} VALUES ($1, $2, $3)`, [event.id, event.key, version]);
  };
  const handlers = Object.fromEntries(types.map((type) => [type, record])) as EventHandlers;
  const transport = new KafkaTransport({ clientId: 'probe', brokers: brokers.split(','), sessionTimeoutMs: 3500 });
  const consumer = new EventConsumer({ groupId, handlers }, ds, transport, 3);
  await consumer.start();
  return {
    counts: async () => {
      const [row] = await ds.query(
        `SELECT count(*)::int AS rows, count(DISTINCT event_id)::int AS "distinct" FROM ${table}`,
      );
      return row as { rows: number; distinct: number };
    },
    stop: async () => {
      await consumer.stop();
      await transport.close();
    },
  };
}

export interface AppProcess {
  url: string;
  child: ChildProcess;
  /** SIGKILL, as a crashed host would leave it: no group leave, no offset commit, no flush. */
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * An app's own main.ts in a Node process of its own (TypeScript loaded by scripts/register-ts.js),
 * configured like a test app: what a second instance on another host is, and what can be killed.
 */
export async function spawnApp(
  app: 'clinician-realtime',
  like: TestApp,
  env: Record<string, string>,
): Promise<AppProcess> {
  const port = await freePort();
  let stderr = '';
  const child = spawn(
    process.execPath,
    ['-r', resolve(ROOT, 'scripts/register-ts.js'), resolve(ROOT, `apps/${app}/src/main.ts`)],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'test',
        PORT: String(port),
        DICOM_DIMSE_PORT: '0',
        IDENTITY_HASH_KEY: like.config.IDENTITY_HASH_KEY,
        // The test app's own issuer and keys, so either instance takes the suite's tokens.
        AUTH_LOCAL_ISSUER: 'enabled',
        AUTH_LOCAL_KEYS_DIR: like.config.AUTH_LOCAL_KEYS_DIR,
        LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'fatal',
        TIMER_POLL_MS: '100',
        OUTBOX_POLL_MS: '200',
        KAFKA_SESSION_TIMEOUT_MS: '3500',
        CONSUMER_MAX_ATTEMPTS: '3',
        ...env,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = `http://127.0.0.1:${port}`;
  const signal = async (name: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
    await exited;
  };
  await waitFor(
    `${app} on port ${port} ready`,
    async () => {
      if (child.exitCode !== null) throw new Error(`${app} exited with ${child.exitCode}: ${stderr}`);
      return (await fetch(`${url}/health/ready`).catch(() => undefined))?.ok;
    },
    90_000,
  );
  return { url, child, kill9: () => signal('SIGKILL'), stop: () => signal('SIGTERM') };
}

/** Who in consumer group `groupId` holds which partitions of `topic`, as the group coordinator says now. */
export async function groupAssignment(
  kafka: ApacheKafka,
  groupId: string,
  topic: string,
): Promise<Array<{ clientId: string; partitions: number[] }>> {
  const admin = new Kafka({
    clientId: 'countylink-drill',
    brokers: kafka.bootstrapServers.split(','),
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const { groups } = await admin.describeGroups([groupId]);
    if (groups[0]?.state !== 'Stable') return [];
    return groups[0].members.map((m) => {
      const decoded = AssignerProtocol.MemberAssignment.decode(m.memberAssignment);
      return { clientId: m.clientId, partitions: [...(decoded?.assignment[topic] ?? [])].sort() };
    });
  } finally {
    await admin.disconnect();
  }
}

/** A counter's value on an app's /metrics (0 when it has no sample with these labels yet). */
export async function metricValue(url: string, name: string, labels: Record<string, string>): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && want.every((w) => l.includes(w)));
  return line ? Number(line.split(' ').pop()) : 0;
}
