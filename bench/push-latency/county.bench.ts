/**
 * County-shape push benchmark (issue #13): the county's 2,000 clinicians (county-directory.ts)
 * connected to two clinician-realtime instances, each joined to their real rooms by their token and
 * the directory (seeded into the referral registry and published as directory events, as the system
 * does), while the county's event mix (county-traffic.ts) runs at 100 events/s through the real path
 * (outbox in PostgreSQL → OutboxRelay → Apache Kafka → clinician-realtime → Socket.IO). Per kind:
 * event time → receipt p50/p99/max, deliveries/s, frames due and received, lost and duplicated (per
 * client and notification id) — beside a bare Socket.IO server emitting the same frames to the same
 * rooms at the same pace — and where the time goes (county-tap.ts). Then a step series of more
 * clinicians and faster traffic with the CPU of every process. A step the system did not keep up
 * with (the driver short of the rate, or frames still coming 20 s after the last event) is waited
 * out, so late frames count as late, not lost; the faster rates on as many clients are then skipped.
 *
 *   npm run bench:push            (BENCH_CLIENTS=2000 BENCH_RATE=100 BENCH_SECONDS=10 BENCH_WARM_UP_SECONDS=3,
 *                                  BENCH_STEPS=2000x100,2000x200,…,10000x400 (or none), BENCH_STEPS_ALL=1 to skip nothing,
 *                                  BENCH_STEP_BARE=0 for no bare in the steps, BENCH_CLIENT_PROCESSES=2, BENCH_DRAIN_SECONDS=20,
 *                                  BENCH_PG_STATEMENTS=1 to print PostgreSQL's statements per event of the main run
 *                                  and what the apps' connections were doing, sampled from pg_stat_activity)
 *   npm run bench:push:broadcast  (the single-room broadcast stress: push-latency.bench.ts)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CountyBareServer } from './county-bare';
import { County, countyOf, Member } from './county-directory';
import { Rng } from './county-events';
import { CountyPool } from './county-pool';
import {
  Backbone,
  CpuWatch,
  KAFKA_TUNING,
  processGroups,
  startBackbone,
  stopBackbone,
  waitForReplica,
} from './county-processes';
import { ReferralFlows } from './county-referrals';
import { mainReport, stepReport, total } from './county-report';
import {
  Measurement,
  measureBare,
  measureCountyLink,
  RealtimeLog,
  RunContext,
  saturated,
  SECONDS,
  settle,
  WARM_UP_SECONDS,
} from './county-run';
import { KafkaTap } from './county-tap';
import { CountyTraffic, Publisher } from './county-traffic';
import { quantile } from './histogram';
import { activityLines, PG_STATEMENTS_WANTED, PgStatements, statementLines } from '../pg-statements';

const MAIN_CLIENTS = Number(process.env.BENCH_CLIENTS ?? 2000);
const MAIN_RATE = Number(process.env.BENCH_RATE ?? 100);
const CLIENT_PROCESSES = Number(process.env.BENCH_CLIENT_PROCESSES ?? 2);
const STEP_BARE = process.env.BENCH_STEP_BARE !== '0';
const ALL_STEPS = process.env.BENCH_STEPS_ALL === '1';
const STEPS: Array<[number, number]> =
  process.env.BENCH_STEPS === 'none'
    ? []
    : (process.env.BENCH_STEPS ?? [2000, 5000, 10000].flatMap((c) => [100, 200, 400].map((r) => `${c}x${r}`)).join(','))
        .split(',')
        .map((s) => s.split('x').map(Number) as [number, number]);

const out = (line = '') => process.stdout.write(`${line}\n`);

function header(county: County): string[] {
  const township = county.members.filter(
    (m) => m.institutionId === county.townships[0].id || county.townships[0].villages.includes(m.institutionId),
  ).length;
  return [
    `county push bench — ${county.members.length} clinicians connected: county hospital ${county.members.filter((m) => m.institutionId === 'county-hospital').length} in 25 departments` +
      ` (ECG and X-ray reading rooms, referral office), ${county.townships.length} townships × ${township} (with ${county.townships[0].villages.length} village clinics each)`,
    `traffic: ${MAIN_RATE} events/s of the county's mix for ${SECONDS} s measured after a ${WARM_UP_SECONDS} s warm-up — referral commands over the HTTP API of the registry (from the build, a process of its own)` +
      ' (the event time is taken inside the command, before its commit);',
    '  reads (ordered, ready, claimed, reported), critical values and bookings/cancellations are committed by the bench itself — a process per app, through the' +
      " remote-diagnosis and specialist-slots apps' own outboxes (EventPublisher, their schemas, their OutboxRelay and producer) — since producing them for real" +
      ' needs DICOM uploads and published schedules;',
    `path: PostgreSQL outbox → OutboxRelay/KafkaTransport → Apache Kafka (1 node, 4 partitions a topic) → clinician-realtime ×2 (own processes from the build, one consumer group,` +
      ` PostgreSQL Socket.IO adapter) → Socket.IO; clients in ${CLIENT_PROCESSES} processes, spread over both instances; bare: one Socket.IO server, same frames to the same rooms at the same pace`,
    `alert ladders are set to 1 h (the bench does not acknowledge); realtime KAFKA_FETCH_MAX_WAIT_MS=${KAFKA_TUNING.KAFKA_FETCH_MAX_WAIT_MS},` +
      ` KAFKA_PARTITIONS_CONSUMED_CONCURRENTLY=${KAFKA_TUNING.KAFKA_PARTITIONS_CONSUMED_CONCURRENTLY}; ${cpus().length} cores, load average at start ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
  ];
}

async function main(): Promise<void> {
  const headerLines = header(countyOf(MAIN_CLIENTS));
  headerLines.forEach((l) => out(l));
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'countylink-county-'));
  const county = countyOf(MAIN_CLIENTS);
  const backbone: Partial<Backbone> = {};
  let stopping: Promise<void> | undefined;
  const cleanup = () => (stopping ??= stopAll());
  // Ctrl-C stops every process this bench started, not only this one.
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => void cleanup().finally(() => process.exit(130)));
  process.once('uncaughtException', (err) => {
    process.stderr.write(`bench failed: ${err.stack ?? String(err)}\n`);
    void cleanup().finally(() => process.exit(1));
  });
  let pool: CountyPool | undefined;
  let bare: CountyBareServer | undefined;
  let log: RealtimeLog | undefined;
  let tap: KafkaTap | undefined;
  let statements: PgStatements | undefined;
  try {
    const b = await startBackbone(county.writeSeed(dir), MAIN_CLIENTS, 2, backbone);
    const { app } = b;
    const replicaMs = await waitForReplica(app.config.DATABASE_URL, county.members.length, county.departmentCount);
    out(
      `backbone up in ${((Date.now() - started) / 1000).toFixed(0)} s (directory of ${county.members.length} members in the realtime replica ${(replicaMs / 1000).toFixed(1)} s after the instances were ready)`,
    );
    log = await RealtimeLog.open(app.config.DATABASE_URL);
    pool = CountyPool.start(CLIENT_PROCESSES);
    const poolPids = pool.pids;
    const rng = new Rng(13);
    const mint = (m: Member) =>
      app.mint({ sub: m.id, roles: m.roles, institutionId: m.institutionId, departmentId: m.departmentId });
    const post = async (path: string, token: string, body: object, key?: string) => {
      const res = await fetch(`${app.url}${path}`, {
        method: 'POST',
        body: JSON.stringify(body),
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          ...(key ? { 'idempotency-key': key } : {}),
        },
      });
      return { status: res.status, body: (await res.json()) as { id?: string } };
    };
    const referrals = new ReferralFlows(county, rng, mint, post);
    const [diagnosis, scheduling] = b.producers;
    const publications: Publisher = {
      publish: (kind, record) => (kind.startsWith('appointment.') ? scheduling : diagnosis).publish(kind, record),
    };
    tap = await KafkaTap.start(b.kafka.bootstrapServers);
    const ctx: RunContext = {
      tap,
      pool,
      log,
      traffic: new CountyTraffic(referrals, publications, rng),
      cpu: new CpuWatch(() => processGroups(b, poolPids)),
      statements: (statements = PG_STATEMENTS_WANTED ? await PgStatements.open(app.config.DATABASE_URL) : undefined),
    };
    bare = await CountyBareServer.start();
    let directory = county.members.length;

    const group = async (clients: number, rates: number[], withBare: boolean): Promise<Measurement[]> => {
      const c = countyOf(clients);
      if (c.members.length > directory) {
        const t0 = Date.now();
        await app.reseed(c.writeSeed(dir));
        await waitForReplica(app.config.DATABASE_URL, c.members.length, c.departmentCount);
        out(
          `  directory grown to ${c.members.length} members (seeded and in the realtime replica in ${((Date.now() - t0) / 1000).toFixed(1)} s)`,
        );
        directory = c.members.length;
      }
      const tokens = await Promise.all(c.members.map(mint));
      const t1 = Date.now();
      const connected = await pool!.connect(
        b.realtime.map((r) => `${r.url}/clinician`),
        tokens,
      );
      out(
        `  ${connected} clients connected to ${b.realtime.length} realtime instances in ${((Date.now() - t1) / 1000).toFixed(1)} s`,
      );
      const results: Measurement[] = [];
      for (const rate of rates) {
        const m = await measureCountyLink(ctx, connected, rate);
        const t = total(m.ours.figures);
        out(
          `  ${connected} × ${rate} ev/s: ${(m.due.length / SECONDS).toFixed(0)} ev/s sent, p99 ${quantile(t.histogram, 0.99).toFixed(1)} ms, ${t.received}/${t.expected} frames,` +
            ` lost ${t.lost}, dup ${t.duplicated}${m.ours.drained ? '' : ' (still draining)'}`,
        );
        results.push(m);
        if (!saturated(m)) continue;
        out(`  saturated: the realtime log settled ${((await settle(ctx)) / 1000).toFixed(0)} s later`);
        // A faster rate on as many clients only piles up more (BENCH_STEPS_ALL=1 runs it anyway).
        if (!ALL_STEPS) break;
      }
      await pool!.close();
      if (withBare) {
        await pool!.connectBare(bare!.url);
        for (const m of results) await measureBare(ctx, bare!, m);
        await pool!.close();
      }
      return results;
    };

    out(`\nmain run: ${county.members.length} clinicians × ${MAIN_RATE} events/s`);
    const [mainRun] = await group(MAIN_CLIENTS, [MAIN_RATE], true);
    const byStep = new Map<string, Measurement>([[`${MAIN_CLIENTS}x${MAIN_RATE}`, mainRun]]);
    // A saturated main run: its faster rates on as many clients would only pile up more.
    const series = STEPS.filter(
      ([c, r]) => !byStep.has(`${c}x${r}`) && (ALL_STEPS || !saturated(mainRun) || c !== MAIN_CLIENTS || r < MAIN_RATE),
    );
    if (STEPS.length)
      out(`\nstep series: ${STEPS.map(([c, r]) => `${c}×${r}`).join(', ')}${STEP_BARE ? '' : ' (without bare)'}`);
    for (const clients of [...new Set(series.map(([c]) => c))]) {
      const rates = series.filter(([c]) => c === clients).map(([, r]) => r);
      (await group(clients, rates, STEP_BARE)).forEach((m, i) => byStep.set(`${clients}x${rates[i]}`, m));
    }
    const steps = STEPS.map(([clients, rate]) => ({ clients, rate, m: byStep.get(`${clients}x${rate}`) }));

    out(`\n${headerLines.join('\n')}`);
    out(`\nmain run: ${mainRun.clients} clinicians, ${MAIN_RATE} events/s\n${mainReport(mainRun).join('\n')}`);
    if (mainRun.statements)
      out(statementLines(mainRun.statements, Math.max(1, mainRun.due.length), 'event').join('\n'));
    if (mainRun.statements?.activity) out(activityLines(mainRun.statements.activity).join('\n'));
    if (referrals.failures.length || ctx.traffic.failures.length)
      out(`failures: ${[...referrals.failures, ...ctx.traffic.failures].join('\n  ')}`);
    if (steps.length)
      out(
        `\nstep series (${SECONDS} s each after ${WARM_UP_SECONDS} s warm-up; CPU over the measured seconds)\n${stepReport(steps).join('\n')}`,
      );
    out(`\nfinished in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    await cleanup();
  }

  async function stopAll(): Promise<void> {
    pool?.stop();
    await tap?.stop();
    await bare?.stop().catch(() => undefined);
    await log?.close().catch(() => undefined);
    await statements?.close().catch(() => undefined);
    await stopBackbone(backbone);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
