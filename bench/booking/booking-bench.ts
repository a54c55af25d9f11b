/**
 * Booking benchmark: concurrent family doctors (reserved pool, with open referrals) and general
 * bookers hammer the same clinic sessions over HTTP, against running CountyLink instances (separate
 * processes, the built standalone app) on one PostgreSQL; then pgbench's tpcb-like runs on the same
 * server, and the ratio is printed. Run with `npm run bench:booking`; knobs are BENCH_* variables.
 */
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { LocalIssuer, Role } from '@countylink/auth';
import { RunningPostgres, startEmbeddedPostgres } from '@countylink/persistence';
import { AppInstance, startInstance, stopInstance } from './app-instances';
import { cpuSnapshot, cpuSpent } from './cpu-usage';
import { Attempt, percentile, runClosedLoop } from './http-load';
import { startSuiteKafka } from '../../libs/testing/src/kafka-apache/suite-cluster';
import { rawKafkaRoundTrip } from '../kafka-baseline/raw-kafkajs';
import { BookedEventWatch, watchBookedEvents } from './booked-events';
import { initPgbench, runPgbench } from './pgbench';
import { PG_STATEMENTS_SETTINGS, PG_STATEMENTS_WANTED, PgStatements, statementLines } from '../pg-statements';

const num = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
const cfg = {
  instances: num('BENCH_INSTANCES', 2),
  concurrency: num('BENCH_CONCURRENCY', 32),
  sessions: num('BENCH_SESSIONS', 10),
  capacity: num('BENCH_CAPACITY', 1000),
  referrals: num('BENCH_REFERRALS', 200),
  /** General attempts per general place: above 1, the last ones meet full pools (409). */
  overbook: num('BENCH_OVERSUBSCRIBE', 1.05),
  pgbenchSeconds: num('PGBENCH_SECONDS', 15),
  /** `1`: load pg_stat_statements into the embedded server and print the statements each attempt cost. */
  statements: PG_STATEMENTS_WANTED,
  /**
   * `deployed` (default): the booking service as deployed — BENCH_INSTANCES specialist-slots processes,
   * beside one referral-registry process (the referrals' source, and the consumer that marks them
   * booked); `standalone`: BENCH_INSTANCES processes of the all-in-one app (every app and consumer in each).
   */
  shape: process.env.BENCH_SHAPE === 'standalone' ? 'standalone' : 'deployed',
  /** `apache` (default): the instances publish to an Apache Kafka node of the bench's own; `in-process`: no broker. */
  kafka: process.env.BENCH_KAFKA === 'in-process' ? 'in-process' : 'apache',
};
const ISSUER = 'countylink-local';
const AUDIENCE = 'countylink';
const DEMO_SEED = resolve(__dirname, '../../../apps/referral-registry/seed/demo-county.json');

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });
}

async function createDatabase(adminUrl: string, name: string): Promise<string> {
  const c = new Client({ connectionString: adminUrl });
  await c.connect();
  await c.query(`CREATE DATABASE "${name}"`);
  await c.end();
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

async function postJson(
  url: string,
  token: string,
  body: object,
  key?: string,
): Promise<{ status: number; body: { id?: string } }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      ...(key ? { 'idempotency-key': key } : {}),
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as { id?: string } };
}

async function inBatches<T>(items: T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(work));
}

function shuffle<T>(xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
}

async function main(): Promise<void> {
  let pg: RunningPostgres | undefined;
  let adminUrl = process.env.BENCH_DATABASE_URL;
  if (!adminUrl) {
    const port = await freePort();
    pg = await startEmbeddedPostgres({
      dir: join(tmpdir(), `countylink-bench-pg-${process.pid}`),
      port,
      persistent: false,
      settings: {
        max_connections: '200',
        ...(cfg.statements ? PG_STATEMENTS_SETTINGS : {}),
      },
    });
    adminUrl = pg.url;
  }
  const instances: AppInstance[] = [];
  /** The processes the bookings do not go to: the deployed shape's referral registry. */
  const others: AppInstance[] = [];
  const kafka = cfg.kafka === 'apache' ? await startSuiteKafka() : undefined;
  let bookedEvents: BookedEventWatch | undefined;
  try {
    const suffix = randomBytes(4).toString('hex');
    const appUrl = await createDatabase(adminUrl, `bench_booking_${suffix}`);
    // pgbench before and after the booking run, on the same server: the machine may be shared, so both are shown.
    const pgbenchUrl = await createDatabase(adminUrl, `bench_pgbench_${suffix}`);
    await initPgbench(pgbenchUrl, cfg.sessions);
    const pgbenchOptions = { clients: cfg.concurrency, threads: 2, seconds: cfg.pgbenchSeconds };
    const pgbBefore = await runPgbench(pgbenchUrl, pgbenchOptions);

    const keysDir = mkdtempSync(join(tmpdir(), 'countylink-bench-keys-'));
    const issuer = await LocalIssuer.open(keysDir, ISSUER, AUDIENCE);
    const env = {
      NODE_ENV: 'production',
      DATABASE_URL: appUrl,
      IDENTITY_HASH_KEY: randomBytes(16).toString('hex'),
      AUTH_LOCAL_KEYS_DIR: keysDir,
      AUTH_LOCAL_ISSUER: 'enabled',
      AUTH_ISSUER: ISSUER,
      AUTH_AUDIENCE: AUDIENCE,
      DIRECTORY_SEED_FILE: DEMO_SEED,
      SCHEDULE_SEED_FILE: '',
      LOG_LEVEL: 'warn',
      KAFKA_BROKERS: kafka?.bootstrapServers ?? '',
    };
    // One process at a time: the first of each app runs its migrations (the registry, the directory seed).
    if (cfg.shape === 'deployed') others.push(await startInstance(env, 'registry'));
    for (let i = 0; i < cfg.instances; i++)
      instances.push(await startInstance(env, cfg.shape === 'deployed' ? 'slots' : 'standalone'));

    const admin = await issuer.mint({ sub: 'group-admin', roles: [Role.GroupAdmin], institutionId: 'county-hospital' });
    const referrer = await issuer.mint({
      sub: 'family-doctor-a',
      roles: [Role.FamilyDoctor, Role.TownshipDoctor],
      institutionId: 'township-a',
      departmentId: 'family-doctor-team',
    });
    const familyDoctors = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        issuer.mint({
          sub: `family-doctor-a${i}`,
          roles: [Role.FamilyDoctor, Role.TownshipDoctor],
          institutionId: 'township-a',
          departmentId: 'family-doctor-team',
        }),
      ),
    );
    const generalBookers = await Promise.all(
      ['his-county', 'his-township-a'].map((sub, i) =>
        issuer.mint({
          sub,
          roles: [Role.HisSystem],
          institutionId: i === 0 ? 'county-hospital' : 'township-a',
        }),
      ),
    );
    const base = instances[0].url;
    const startsAt = Date.now() + 3 * 86_400_000;
    const publish = async (i: number) => {
      const res = await postJson(`${base}/api/schedules`, admin, {
        kind: 'clinic-session',
        departmentId: 'cardiology',
        practitionerId: 'county-cardiology',
        capacity: cfg.capacity,
        reservedShare: 0.2,
        startsAt: new Date(startsAt + i * 3_600_000).toISOString(),
        endsAt: new Date(startsAt + (i + 1) * 3_600_000).toISOString(),
      });
      if (res.status !== 201) throw new Error(`publish: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.id!;
    };
    const sessions: string[] = [];
    for (let i = 0; i < cfg.sessions; i++) sessions.push(await publish(i));
    const warmup = await publish(cfg.sessions);

    const referrals: string[] = [];
    await inBatches(
      Array.from({ length: cfg.referrals }, (_, i) => i),
      20,
      async (i) => {
        const res = await postJson(
          `${others[0]?.url ?? base}/api/referrals`,
          referrer,
          {
            patient: { patientId: `BENCH-R${i}`, name: `转诊患者${i}`, sex: i % 2 ? 'male' : 'female' },
            toInstitutionId: 'county-hospital',
            toDepartmentId: 'cardiology',
            urgency: 'routine',
            diagnosis: { code: 'I20.0', display: '不稳定型心绞痛' },
            clinicalSummary: '反复胸痛',
            reason: '需专科评估',
          },
          randomUUID(),
        );
        if (res.status !== 201) throw new Error(`referral: ${res.status} ${JSON.stringify(res.body)}`);
        referrals.push(res.body.id!);
      },
    );
    const db = new Client({ connectionString: appUrl });
    await db.connect();
    for (;;) {
      const [{ n }] = (await db.query('SELECT count(*)::int AS n FROM scheduling.referral_snapshot')).rows;
      if (n >= referrals.length) break;
      await new Promise((r) => setTimeout(r, 100));
    }

    const reservedPerSession = Math.ceil(cfg.capacity * 0.2);
    const generalPerSession = cfg.capacity - reservedPerSession;
    const url = (i: number) => instances[i % instances.length].url;
    const pairs = shuffle(
      sessions.flatMap((scheduleId) => referrals.map((referralId) => ({ scheduleId, referralId }))),
    );
    const family: Attempt[] = pairs.map((p, i) => ({
      url: url(i),
      token: familyDoctors[i % familyDoctors.length],
      kind: 'family-doctor',
      body: { ...p, pool: 'reserved' },
    }));
    const generalCount = Math.round(generalPerSession * cfg.sessions * cfg.overbook);
    const general: Attempt[] = Array.from({ length: generalCount }, (_, i) => ({
      url: url(i + 1),
      token: generalBookers[i % 2],
      kind: 'general',
      body: {
        scheduleId: sessions[i % sessions.length],
        pool: 'general',
        patient: { patientId: `BENCH-G${i}`, name: `患者${i}`, sex: 'female' },
      },
    }));
    const attempts = shuffle([...family, ...general]);

    // Warm-up on a session of its own (JIT, connection pools); not counted.
    await runClosedLoop(
      Array.from({ length: 400 }, (_, i) => ({
        url: url(i),
        token: generalBookers[0],
        kind: 'general' as const,
        body: { scheduleId: warmup, pool: 'general', patient: { patientId: `WARM-${i}`, name: '预热', sex: 'male' } },
      })),
      cfg.concurrency,
    );

    const appPids = instances.map((i) => i.child.pid!);
    // What each attempt costs PostgreSQL in transactions (the bookings, their events, the consumers'
    // applications of them, the relay's deletes), read from the server's own statistics.
    const commits = async () => {
      await db.query('SELECT pg_stat_clear_snapshot()');
      return Number(
        (await db.query('SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()')).rows[0]
          .xact_commit,
      );
    };
    // What an HIS would see: each appointment-booked event, commit time (ce_time) → received from Kafka.
    if (kafka) bookedEvents = await watchBookedEvents(kafka.bootstrapServers, new Set(sessions));
    const statements = cfg.statements ? await PgStatements.open(appUrl) : undefined;
    await statements?.reset();
    const commitsBefore = await commits();
    const otherPids = others.map((i) => i.child.pid!);
    const cpuBefore = cpuSnapshot(appPids, otherPids);
    const { outcomes, seconds } = await runClosedLoop(attempts, cfg.concurrency);
    const cpu = cpuSpent(cpuBefore, cpuSnapshot(appPids, otherPids));
    // Let the consumers and the relay finish what the bookings started before counting.
    await new Promise((r) => setTimeout(r, 1500));
    const commitsPerAttempt = ((await commits()) - commitsBefore) / outcomes.length;
    if (statements) {
      statementLines(await statements.read(), outcomes.length, 'attempt').forEach((l) => console.log(l));
      await statements.close();
    }
    const ok = outcomes.filter((o) => o.status === 201);
    const full = outcomes.filter((o) => o.status === 409);
    const other = outcomes.filter((o) => o.status !== 201 && o.status !== 409);
    const lat = outcomes.map((o) => o.ms).sort((a, b) => a - b);
    const okLat = ok.map((o) => o.ms).sort((a, b) => a - b);

    // Overbooking is counted from the appointment rows themselves, against each pool's capacity.
    const check = (
      await db.query(
        `
      SELECT coalesce(sum(greatest(0, r.booked - s.reserved_capacity)), 0)::int AS reserved_over,
             coalesce(sum(greatest(0, g.booked - (s.capacity - s.reserved_capacity))), 0)::int AS general_over,
             count(*) FILTER (WHERE r.booked <> s.reserved_booked OR g.booked <> s.general_booked)::int AS counter_mismatch,
             coalesce(sum(r.booked), 0)::int AS reserved_booked, coalesce(sum(g.booked), 0)::int AS general_booked
      FROM scheduling.schedule s
      CROSS JOIN LATERAL (SELECT count(*)::int AS booked FROM scheduling.appointment a WHERE a.schedule_id = s.id AND a.pool = 'reserved' AND a.status = 'booked') r
      CROSS JOIN LATERAL (SELECT count(*)::int AS booked FROM scheduling.appointment a WHERE a.schedule_id = s.id AND a.pool = 'general' AND a.status = 'booked') g
      WHERE s.id = ANY($1)`,
        [sessions],
      )
    ).rows[0] as Record<string, number>;
    await db.end();
    const eventLag = bookedEvents ? await bookedEvents.settle(ok.length) : undefined;
    for (const instance of [...instances.splice(0), ...others.splice(0)]) await stopInstance(instance);
    // The Kafka leg's baseline: plain kafkajs producing one message per send from as many senders, on the same broker.
    const raw = kafka
      ? await rawKafkaRoundTrip({
          client: { brokers: kafka.bootstrapServers.split(',') },
          messages: Math.min(ok.length, 5_000),
          concurrency: cfg.concurrency,
          valueBytes: 400,
        })
      : undefined;

    const pgbAfter = await runPgbench(pgbenchUrl, pgbenchOptions);
    const pgb = {
      tps: (pgbBefore.tps + pgbAfter.tps) / 2,
      latencyMs: round((pgbBefore.latencyMs + pgbAfter.latencyMs) / 2),
    };

    const bookingsPerSecond = ok.length / seconds;
    const attemptsPerSecond = outcomes.length / seconds;
    const result = {
      config: {
        ...cfg,
        placesPerSession: { reserved: reservedPerSession, general: generalPerSession },
        postgres: pg ? 'embedded' : 'BENCH_DATABASE_URL',
      },
      booking: {
        attempts: outcomes.length,
        booked: ok.length,
        bookedReserved: ok.filter((o) => o.kind === 'family-doctor').length,
        bookedGeneral: ok.filter((o) => o.kind === 'general').length,
        refused409: full.length,
        otherStatus: other.length,
        seconds: round(seconds),
        bookingsPerSecond: round(bookingsPerSecond),
        attemptsPerSecond: round(attemptsPerSecond),
        latencyMs: {
          p50: round(percentile(lat, 50)),
          p99: round(percentile(lat, 99)),
          p50Booked: round(percentile(okLat, 50)),
          p99Booked: round(percentile(okLat, 99)),
        },
        overbooked: check.reserved_over + check.general_over,
        counterMismatches: check.counter_mismatch,
        cpuMsPerAttempt: {
          app: round((cpu.app * 1000) / outcomes.length),
          otherApps: round((cpu.otherApps * 1000) / outcomes.length),
          postgres: round((cpu.postgres * 1000) / outcomes.length),
          loadDriver: round((cpu.driver * 1000) / outcomes.length),
          machine: round((cpu.machine * 1000) / outcomes.length),
        },
        machineBusy: round(cpu.machine / seconds / cpus().length),
        postgresCommitsPerAttempt: round(commitsPerAttempt),
        statuses: outcomes.reduce<Record<string, number>>(
          (acc, o) => ({ ...acc, [o.status]: (acc[o.status] ?? 0) + 1 }),
          {},
        ),
      },
      pgbench: {
        script: 'tpcb-like',
        scale: cfg.sessions,
        clients: cfg.concurrency,
        seconds: cfg.pgbenchSeconds,
        tps: round(pgb.tps),
        latencyAvgMs: pgb.latencyMs,
        tpsBefore: round(pgbBefore.tps),
        tpsAfter: round(pgbAfter.tps),
      },
      ratio: {
        bookingsToPgbenchTps: round(bookingsPerSecond / pgb.tps),
        attemptsToPgbenchTps: round(attemptsPerSecond / pgb.tps),
      },
      kafka:
        eventLag && raw
          ? {
              bookedEvents: eventLag.received,
              commitToHisP50Ms: round(eventLag.p50),
              commitToHisP99Ms: round(eventLag.p99),
              raw: {
                producedPerSecond: round(raw.producedPerSecond),
                produceP99Ms: round(raw.produceP99),
                endToEndP50Ms: round(raw.endToEndP50),
                endToEndP99Ms: round(raw.endToEndP99),
              },
              ratio: {
                bookingsToRawProduce: round(bookingsPerSecond / raw.producedPerSecond),
                lagP50ToRaw: round(eventLag.p50 / raw.endToEndP50),
                lagP99ToRaw: round(eventLag.p99 / raw.endToEndP99),
              },
            }
          : undefined,
    };
    const b = result.booking;
    process.stdout.write(
      [
        '',
        `booking over HTTP  ${cfg.instances} ${cfg.shape === 'deployed' ? 'specialist-slots process(es) beside one referral registry' : 'all-in-one process(es)'}, ${cfg.concurrency} in flight, ${cfg.sessions} sessions × ${cfg.capacity} places (20% reserved)`,
        `  attempts         ${b.attempts} in ${b.seconds} s: ${b.booked} booked (${b.bookedReserved} reserved, ${b.bookedGeneral} general), ${b.refused409} × 409 full, ${b.otherStatus} other (${JSON.stringify(b.statuses)})`,
        `  bookings/s       ${b.bookingsPerSecond}   (attempts/s ${b.attemptsPerSecond})`,
        `  latency          p50 ${b.latencyMs.p50} ms, p99 ${b.latencyMs.p99} ms (booked only: p50 ${b.latencyMs.p50Booked}, p99 ${b.latencyMs.p99Booked})`,
        `  CPU per attempt  app ${b.cpuMsPerAttempt.app} ms${cfg.shape === 'deployed' ? ` (+ registry ${b.cpuMsPerAttempt.otherApps} ms)` : ''}, PostgreSQL ${b.cpuMsPerAttempt.postgres} ms, load driver ${b.cpuMsPerAttempt.loadDriver} ms; machine ${b.cpuMsPerAttempt.machine} ms (${Math.round(b.machineBusy * 100)}% of ${cpus().length} cores busy)`,
        `  PostgreSQL       ${b.postgresCommitsPerAttempt} committed transactions per attempt (pgbench: 1)`,
        `  overbooked       ${b.overbooked}   (counter/row mismatches ${b.counterMismatches})`,
        `pgbench tpcb-like  scale ${cfg.sessions}, ${cfg.concurrency} clients, ${cfg.pgbenchSeconds} s before and after: ${result.pgbench.tpsBefore} / ${result.pgbench.tpsAfter} tps, mean ${result.pgbench.tps} (avg latency ${pgb.latencyMs} ms)`,
        `ratio              bookings/s ÷ pgbench tps = ${result.ratio.bookingsToPgbenchTps}   (attempts/s ÷ tps = ${result.ratio.attemptsToPgbenchTps})`,
        ...(result.kafka
          ? [
              `Kafka (Apache, 1 node) appointment-booked events at a separate consumer: ${result.kafka.bookedEvents}/${b.booked}, commit → consumer p50 ${result.kafka.commitToHisP50Ms} ms, p99 ${result.kafka.commitToHisP99Ms} ms`,
              `raw kafkajs        ${cfg.concurrency} senders, one message each, same broker: ${result.kafka.raw.producedPerSecond} msg/s, produce p99 ${result.kafka.raw.produceP99Ms} ms, produce → consume p50 ${result.kafka.raw.endToEndP50Ms} ms, p99 ${result.kafka.raw.endToEndP99Ms} ms`,
              `ratio              bookings/s ÷ raw produce/s = ${result.kafka.ratio.bookingsToRawProduce}   event lag ÷ raw produce → consume: p50 ×${result.kafka.ratio.lagP50ToRaw}, p99 ×${result.kafka.ratio.lagP99ToRaw}`,
            ]
          : ['Kafka              none (BENCH_KAFKA=in-process)']),
        '',
        JSON.stringify(result),
        '',
      ].join('\n'),
    );
    if (b.overbooked !== 0 || b.counterMismatches !== 0 || b.otherStatus !== 0) process.exitCode = 1;
  } finally {
    await bookedEvents?.stop();
    for (const instance of [...instances, ...others]) await stopInstance(instance);
    await kafka?.stop();
    await pg?.stop();
  }
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

main().catch((err: unknown) => {
  process.stderr.write(
    `booking benchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
