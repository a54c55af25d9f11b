/**
 * The broadcast stress (`npm run bench:push:broadcast`; the county-shape run is county.bench.ts,
 * `npm run bench:push`). Push latency, end to end: N clinicians connected to `/clinician` (all in cardiology), referral
 * commands at a steady rate over HTTP → PostgreSQL → outbox → Kafka (one Apache Kafka node of its own) →
 * realtime consumer → notification log → Socket.IO, beside a bare Socket.IO server emitting the same
 * payloads at the same rate to the same clients. Prints p50/p99 (frame `at` — the event time, taken
 * just before the command's commit — to receipt) and the fan-out rate, and the ratio to bare; and,
 * to tell the legs apart, event → recorded by the realtime consumer (outbox, relay, Kafka, fetch).
 * The consumers' fetch wait is the apps' default (Apache Kafka answers a fetch as soon as data is
 * there; a short wait only adds empty fetches); KAFKA_FETCH_MAX_WAIT_MS overrides it.
 *
 * BENCH_REALTIME=process (the default) runs clinician-realtime as its own process from the build, as
 * deployed (deploy/compose.yaml); BENCH_REALTIME=inline runs it inside the registry's process, which
 * also measures the Kafka leg alone (event → recorded by the realtime consumer).
 *
 *   npm run bench:push:broadcast  (BENCH_CLIENTS=100,1000 BENCH_RATE=50 BENCH_SECONDS=10 BENCH_REALTIME=process)
 */
import { loadavg } from 'node:os';
import { Client } from 'pg';
import request from 'supertest';
import { Role } from '@countylink/auth';
import { startTestApp, startTestPostgres, TestApp, waitFor } from '@countylink/testing';
import { startSuiteKafka } from '@countylink/testing/kafka-apache/suite-cluster';
import { REALTIME_DATA_SOURCE } from '../../apps/clinician-realtime/src/clinician-realtime.constants';
import { ClinicianRealtimeModule } from '../../apps/clinician-realtime/src/clinician-realtime.module';
import { NotificationLog } from '../../apps/clinician-realtime/src/notifications/notification-log.repository';
import type { NotificationFrame } from '../../apps/clinician-realtime/src/notifications/notification-types';
import { REFERRAL_DATA_SOURCE } from '../../apps/referral-registry/src/referral-registry.constants';
import { ReferralRegistryModule } from '../../apps/referral-registry/src/referral-registry.module';
import { rawKafkaRoundTrip } from '../kafka-baseline/raw-kafkajs';
import { BareServer, BENCH_ROOM } from './bare-server';
import { ClientPool, Receipts } from './client-pool';
import { KAFKA_TUNING, startRealtimeProcess } from './county-processes';
import { ReferralTraffic } from './referral-traffic';

const SIZES = (process.env.BENCH_CLIENTS ?? '100,1000').split(',').map(Number);
const RATE = Number(process.env.BENCH_RATE ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARM_UP_SECONDS = 2;
/** About a referral event's protobuf value (patient, diagnosis, summary, parties). */
const RAW_VALUE_BYTES = 600;
const INLINE = process.env.BENCH_REALTIME === 'inline';

interface Figures {
  p50: number;
  p99: number;
  max: number;
  deliveries: number;
  expected: number;
  fanOutPerSecond: number;
}

function figures(r: Receipts, expected: number): Figures {
  const sorted = [...r.latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return {
    p50: at(0.5),
    p99: at(0.99),
    max: sorted[sorted.length - 1] ?? NaN,
    deliveries: sorted.length,
    expected,
    fanOutPerSecond: sorted.length / ((r.last - r.first) / 1000),
  };
}

async function collect(pool: ClientPool, expected: number): Promise<Receipts> {
  return waitFor(
    `${expected} deliveries`,
    async () => {
      const r = await pool.report();
      return r.latencies.length >= expected ? r : undefined;
    },
    60_000,
  ).catch(() => pool.report());
}

/** Event time → the realtime consumer recording it: the Kafka leg, measured in process. */
function watchConsumer(t: TestApp): { lags: number[] } {
  const log = t.app.get(NotificationLog);
  const record = log.record.bind(log);
  const watch = { lags: [] as number[] };
  log.record = ((manager, spec, eventId) => {
    if (spec.type.startsWith('referral.')) watch.lags.push(Date.now() - spec.at.getTime());
    return record(manager, spec, eventId);
  }) as typeof log.record;
  return watch;
}

async function countyLinkRun(
  t: TestApp,
  realtimeUrl: string,
  pool: ClientPool,
  clients: number,
  consumer?: { lags: number[] },
): Promise<Figures & { consumedP50: number; consumedP99: number; commandP50: number; commandP99: number }> {
  const tokens = await Promise.all(
    Array.from({ length: clients }, (_, i) =>
      t.mint({
        sub: `bench-cardio-${i}`,
        roles: [Role.CountySpecialist],
        institutionId: 'county-hospital',
        departmentId: 'cardiology',
      }),
    ),
  );
  await pool.connect(`${realtimeUrl}/clinician`, tokens);
  await pool.reset(); // nothing of an earlier run may count towards this one's warm-up
  const traffic = new ReferralTraffic(t);
  await traffic.prepare();
  await traffic.run(RATE, WARM_UP_SECONDS);
  await collect(pool, traffic.sent * clients);
  await pool.reset();
  if (consumer) consumer.lags.length = 0;
  const measured = new ReferralTraffic(t);
  await measured.prepare();
  await measured.run(RATE, SECONDS);
  if (measured.failed || measured.skipped)
    process.stderr.write(`  commands failed: ${measured.failed}, skipped: ${measured.skipped}\n`);
  const receipts = await collect(pool, measured.sent * clients);
  await pool.close();
  const lags = figures({ latencies: consumer?.lags ?? [], first: 0, last: 1 }, measured.sent);
  const commands = [...measured.commandMs].sort((a, b) => a - b);
  const at = (q: number) => commands[Math.min(commands.length - 1, Math.floor(q * commands.length))] ?? NaN;
  return {
    ...figures(receipts, measured.sent * clients),
    consumedP50: lags.p50,
    consumedP99: lags.p99,
    commandP50: at(0.5),
    commandP99: at(0.99),
  };
}

async function bareRun(frames: NotificationFrame[], pool: ClientPool, clients: number): Promise<Figures> {
  const bare = await BareServer.start();
  await pool.connect(
    bare.url,
    Array.from({ length: clients }, () => 'bare'),
  );
  await pool.reset();
  const emitAll = async (count: number) => {
    const start = performance.now();
    for (let i = 0; i < count; i++) {
      const wait = start + (i * 1000) / RATE - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      bare.emit(frames[i % frames.length]);
    }
  };
  await emitAll(RATE * WARM_UP_SECONDS);
  await collect(pool, RATE * WARM_UP_SECONDS * clients);
  await pool.reset();
  await emitAll(RATE * SECONDS);
  const receipts = await collect(pool, RATE * SECONDS * clients);
  await pool.close();
  await bare.stop();
  return figures(receipts, RATE * SECONDS * clients);
}

const ms = (v: number) => `${v.toFixed(1)} ms`;

async function knownMembers(databaseUrl: string): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query('SELECT count(*)::int AS n FROM realtime.known_member')).rows[0].n;
  } catch {
    return 0; // the realtime schema is not migrated yet
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const loadBefore = loadavg();
  const pg = await startTestPostgres();
  // Apache Kafka: the producer is idempotent, which librdkafka's mock cannot serve.
  const kafka = await startSuiteKafka();
  process.env.TEST_PG_ADMIN_URL = pg.adminUrl;
  const t = await startTestApp({
    features: INLINE ? [ReferralRegistryModule, ClinicianRealtimeModule] : [ReferralRegistryModule],
    dataSources: INLINE ? [REFERRAL_DATA_SOURCE, REALTIME_DATA_SOURCE] : [REFERRAL_DATA_SOURCE],
    kafka: kafka.bootstrapServers,
    env: { LOG_LEVEL: 'error', TIMER_POLL_MS: '1000', OUTBOX_POLL_MS: '2000', ...KAFKA_TUNING },
  });
  const realtime = INLINE ? { url: t.url, child: undefined } : await startRealtimeProcess(t, kafka.bootstrapServers);
  const pool = ClientPool.start();
  const rows: string[] = [];
  const endToEnd: Array<{ clients: number; p50: number; p99: number }> = [];
  const consumedLeg: Array<{ clients: number; p50: number; p99: number }> = [];
  try {
    await waitFor('directory replica', async () => (await knownMembers(t.config.DATABASE_URL)) >= 14, 30_000);
    const consumer = INLINE ? watchConsumer(t) : undefined;
    for (const clients of SIZES) {
      const ours = await countyLinkRun(t, realtime.url, pool, clients, consumer);
      endToEnd.push({ clients, p50: ours.p50, p99: ours.p99 });
      if (consumer) consumedLeg.push({ clients, p50: ours.consumedP50, p99: ours.consumedP99 });
      const cardiologist = await t.token('county-cardiology');
      const sample = await request(realtime.url)
        .get('/api/notifications')
        .query({ limit: 200 })
        .set('Authorization', `Bearer ${cardiologist}`);
      const frames = (sample.body.items as NotificationFrame[]).filter((f) => f.scope === BENCH_ROOM);
      const bare = await bareRun(frames, pool, clients);
      rows.push(
        [
          `${String(clients).padStart(5)} clients`,
          `CountyLink p50 ${ms(ours.p50)}  p99 ${ms(ours.p99)}  max ${ms(ours.max)}  ${Math.round(ours.fanOutPerSecond)} deliveries/s (${ours.deliveries}/${ours.expected})`,
          `  the commands' HTTP round trips (the event's time is taken inside them): p50 ${ms(ours.commandP50)}  p99 ${ms(ours.commandP99)}`,
          ...(consumer
            ? [
                `  of which event → recorded by the realtime consumer: p50 ${ms(ours.consumedP50)}  p99 ${ms(ours.consumedP99)}`,
              ]
            : []),
          `bare       p50 ${ms(bare.p50)}  p99 ${ms(bare.p99)}  max ${ms(bare.max)}  ${Math.round(bare.fanOutPerSecond)} deliveries/s (${bare.deliveries}/${bare.expected})`,
          `ratio      p50 ×${(ours.p50 / bare.p50).toFixed(1)}  p99 ×${(ours.p99 / bare.p99).toFixed(1)}  fan-out ×${(ours.fanOutPerSecond / bare.fanOutPerSecond).toFixed(2)}`,
        ].join('\n  '),
      );
      process.stdout.write(`${rows[rows.length - 1]}\n`);
    }
    // The Kafka leg's baseline: plain kafkajs produce → consume on the same broker, at the same rate.
    const raw = await rawKafkaRoundTrip({
      client: { brokers: kafka.bootstrapServers.split(',') },
      messages: RATE * SECONDS,
      rate: RATE,
      valueBytes: RAW_VALUE_BYTES,
    });
    const kafkaLeg = consumedLeg.length ? consumedLeg : undefined;
    rows.push(
      [
        `raw kafkajs on the same broker, ${RATE} msg/s of ${RAW_VALUE_BYTES} B (idempotent, acks=all): produce p50 ${ms(raw.produceP50)}  p99 ${ms(raw.produceP99)};` +
          ` produce → consume p50 ${ms(raw.endToEndP50)}  p99 ${ms(raw.endToEndP99)} (${raw.received}/${RATE * SECONDS})`,
        ...(kafkaLeg
          ? kafkaLeg.map(
              (leg) =>
                `ratio, CountyLink event → recorded by the realtime consumer (${leg.clients} clients) to raw produce → consume: p50 ×${(leg.p50 / raw.endToEndP50).toFixed(1)}  p99 ×${(leg.p99 / raw.endToEndP99).toFixed(1)}`,
            )
          : []),
        ...endToEnd.map(
          (leg) =>
            `ratio, CountyLink commit → Socket.IO receipt (${leg.clients} clients) to raw produce → consume: p50 ×${(leg.p50 / raw.endToEndP50).toFixed(1)}  p99 ×${(leg.p99 / raw.endToEndP99).toFixed(1)}`,
        ),
      ].join('\n  '),
    );
    process.stdout.write(`${rows[rows.length - 1]}\n`);
  } finally {
    pool.stop();
    if (realtime.child) {
      const exited = new Promise((r) => realtime.child!.once('exit', r));
      realtime.child.kill('SIGTERM');
      await exited;
    }
    await t.close();
    await kafka.stop();
    await pg.stop();
  }
  const where = INLINE ? 'realtime inside the registry process' : 'realtime in its own process';
  process.stdout.write(
    `\npush latency, ${RATE} events/s for ${SECONDS} s (load average at start: ${loadBefore.map((l) => l.toFixed(1)).join(' ')}), HTTP → PostgreSQL → outbox → Kafka → realtime → Socket.IO, ${where}\n${rows.join('\n')}\n`,
  );
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
