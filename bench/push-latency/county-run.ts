import { PgStatements } from '../pg-statements';
/**
 * One measurement: the county's mix at a rate through CountyLink (warm-up, then the measured
 * seconds, then until the frames stop coming), each committed event matched with the notification
 * the realtime app recorded for it (and the rooms it went to, beside the rooms the bench expects);
 * then the same notifications, to the same rooms, at the same pace, from the bare server.
 */
import { Client } from 'pg';
import { NOTIFICATION_GROUP } from '../../apps/clinician-realtime/src/notifications/notification.consumer';
import type { CountyBareServer, Recorded } from './county-bare';
import type { Due, KindFigures } from './county-clients';
import type { CountyPool } from './county-pool';
import type { CpuWatch } from './county-processes';
import type { KafkaTap } from './county-tap';
import type { CountyTraffic, TrafficRun } from './county-traffic';

export const WARM_UP_SECONDS = Number(process.env.BENCH_WARM_UP_SECONDS ?? 3);
export const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
/** At most this long for the last frames after the last event (a saturated step leaves a backlog). */
const DRAIN_SECONDS = Number(process.env.BENCH_DRAIN_SECONDS ?? 20);

interface Row {
  id: string;
  type: string;
  at: Date;
  subject_type: string;
  subject_id: string;
  event_id: string | null;
  data: { kind?: string; subjectId?: string } | null;
  scopes: string[];
  /** When the realtime consumer's transaction that recorded it began (its inbox entry). */
  applied_at: Date | null;
}

/** The realtime app's notification log, read over one connection of the bench's own. */
export class RealtimeLog {
  private constructor(private readonly client: Client) {}

  static async open(databaseUrl: string): Promise<RealtimeLog> {
    const client = new Client({ connectionString: databaseUrl, application_name: 'push-bench' });
    client.on('error', () => undefined); // the server going away at the end (or on Ctrl-C) is not the bench's failure
    await client.connect();
    return new RealtimeLog(client);
  }

  async lastId(): Promise<string> {
    return (await this.client.query('SELECT coalesce(max(id), 0)::text AS id FROM realtime.notification')).rows[0].id;
  }

  async since(fromMs: number): Promise<Row[]> {
    const { rows } = await this.client.query(
      `SELECT n.id::text, n.type, n.at, n.subject_type, n.subject_id, n.event_id, n.data, array_agg(d.scope ORDER BY d.rank) AS scopes, min(i.applied_at) AS applied_at
       FROM realtime.notification n JOIN realtime.notification_delivery d ON d.notification_id = n.id
       LEFT JOIN realtime.inbox_entry i ON i.event_id = n.event_id AND i.consumer_group = $2
       WHERE n.at >= $1 GROUP BY n.id ORDER BY n.at, n.id`,
      [new Date(fromMs), NOTIFICATION_GROUP],
    );
    return rows as Row[];
  }

  close(): Promise<void> {
    return this.client.end();
  }
}

export interface Side {
  figures: Record<string, KindFigures>;
  cpu: { cores: Record<string, number>; processes: Record<string, number>; machine: number };
  /** Whether the frames stopped coming before the drain deadline. */
  drained: boolean;
  drainMs: number;
}

export interface Measurement {
  clients: number;
  rate: number;
  run: TrafficRun;
  ours: Side;
  bare?: Side;
  /** Measured events the realtime app never recorded a notification for (that it should have). */
  unrecorded: number;
  /** Recorded notifications whose rooms are not the rooms the bench expects, and a few of them. */
  roomMismatches: number;
  mismatchSamples: string[];
  recorded: number;
  /** Per kind, event time → the realtime consumer's transaction start (outbox, relay, Kafka, the partition's queue), ms. */
  toConsumer: Record<string, number[]>;
  /** That time in two legs (ms): event time → on Kafka (the relay's send), on Kafka → the consumer's start (fetch and queue). */
  legs: { relay: number[]; kafka: number[] };
  due: Due[];
  replay: Recorded[];
  /** PostgreSQL's statements over the measured seconds (BENCH_PG_STATEMENTS=1). */
  statements?: Awaited<ReturnType<PgStatements['read']>>;
}

export interface RunContext {
  tap: KafkaTap;
  pool: CountyPool;
  log: RealtimeLog;
  traffic: CountyTraffic;
  cpu: CpuWatch;
  /** BENCH_PG_STATEMENTS=1: reset (and sampling pg_stat_activity) at the end of the warm-up, read at the end of the measured seconds. */
  statements?: PgStatements;
}

/** Polls until the clients' receipts (and the log) stop growing for 1.5 s, or the deadline. */
async function drain(ctx: RunContext, withLog: boolean): Promise<{ drained: boolean; drainMs: number }> {
  const started = Date.now();
  let last = '';
  let stable = 0;
  while (Date.now() - started < DRAIN_SECONDS * 1000) {
    await new Promise((r) => setTimeout(r, 500));
    const now = `${await ctx.pool.received()}/${withLog ? await ctx.log.lastId() : ''}`;
    stable = now === last ? stable + 1 : 0;
    last = now;
    if (stable >= 3) return { drained: true, drainMs: Date.now() - started - 1500 };
  }
  return { drained: false, drainMs: Date.now() - started };
}

/** After a step that left a backlog: until the realtime log stops growing for 2 s (at most `seconds`). */
export async function settle(ctx: RunContext, seconds = 60): Promise<number> {
  const started = Date.now();
  let last = await ctx.log.lastId();
  let stableSince = Date.now();
  while (Date.now() - started < seconds * 1000 && Date.now() - stableSince < 2_000) {
    await new Promise((r) => setTimeout(r, 250));
    const now = await ctx.log.lastId();
    if (now !== last) [last, stableSince] = [now, Date.now()];
  }
  return Date.now() - started;
}

/** A step the system did not keep up with: the driver fell short of the rate, or frames kept coming past the drain. */
export function saturated(m: Measurement): boolean {
  return !m.ours.drained || m.due.length / SECONDS < 0.9 * m.rate;
}

const sameRooms = (a: string[], b: string[]) =>
  a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');

export async function measureCountyLink(ctx: RunContext, clients: number, rate: number): Promise<Measurement> {
  await ctx.pool.reset();
  ctx.tap.reset();
  let reset: Promise<void> | undefined;
  const run = await ctx.traffic.run(rate, WARM_UP_SECONDS, SECONDS, () => {
    ctx.cpu.start();
    reset = ctx.statements?.reset(true);
  });
  const cpu = ctx.cpu.stop();
  await reset;
  const statements = await ctx.statements?.read();
  const first = await drain(ctx, true);
  const drained = first.drained;
  let drainMs = first.drainMs;
  if (!drained) {
    // Behind: let the realtime app work off its backlog, so that a late frame is counted late, not lost.
    drainMs += await settle(ctx);
    drainMs += (await drain(ctx, true)).drainMs;
  }
  const rows = await ctx.log.since(run.warmUpAt - 2_000);
  const byKey = new Map<string, Row>();
  for (const r of rows) {
    if (r.event_id) byKey.set(`event:${r.event_id}`, r);
    byKey.set(`type:${r.type}|${r.subject_id}`, r);
    if (r.type === 'alert.raised' && r.data) byKey.set(`alert:${r.data.kind}|${r.data.subjectId}`, r);
  }
  const m: Measurement = {
    clients,
    rate,
    run,
    ours: { figures: {}, cpu, drained, drainMs },
    statements,
    unrecorded: 0,
    roomMismatches: 0,
    mismatchSamples: [],
    recorded: 0,
    toConsumer: {},
    legs: { relay: [], kafka: [] },
    due: [],
    replay: [],
  };
  for (const p of run.produced) {
    const row = byKey.get(p.match);
    if (row) {
      m.replay.push({
        id: row.id,
        type: row.type,
        at: new Date(row.at).getTime(),
        subject: { type: row.subject_type, id: row.subject_id },
        data: row.data,
        scopes: row.scopes,
      });
      if (!sameRooms(p.rooms, row.scopes)) {
        m.roomMismatches++;
        if (m.mismatchSamples.length < 5)
          m.mismatchSamples.push(
            `${p.kind} ${row.id}: recorded for [${row.scopes.join(' ')}], expected [${p.rooms.join(' ')}]`,
          );
      }
    }
    if (!p.measured) continue;
    if (row) m.recorded++;
    if (row?.applied_at) {
      const [at, applied] = [new Date(row.at).getTime(), new Date(row.applied_at).getTime()];
      (m.toConsumer[p.kind] ??= []).push(applied - at);
      const tapped = row.event_id ? ctx.tap.seen.get(row.event_id) : undefined;
      if (tapped) {
        m.legs.relay.push(tapped.onKafka - at);
        m.legs.kafka.push(applied - tapped.onKafka);
      }
    } else if (p.rooms.length > 0) m.unrecorded++;
    const toConsumer = row?.applied_at ? new Date(row.applied_at).getTime() - new Date(row.at).getTime() : null;
    m.due.push({ id: row?.id ?? null, kind: p.kind, scopes: row?.scopes ?? p.rooms, toConsumer });
  }
  m.replay.sort((a, b) => a.at - b.at || Number(a.id) - Number(b.id));
  m.ours.figures = await ctx.pool.analyze(m.due);
  return m;
}

/** The same notifications from the bare server (its clients already connected), measured the same way. */
export async function measureBare(ctx: RunContext, bare: CountyBareServer, m: Measurement): Promise<void> {
  await ctx.pool.reset();
  const measuredIds = new Set(m.due.map((d) => d.id));
  const firstMeasured = m.replay.findIndex((n) => measuredIds.has(n.id));
  const warmUp = m.replay.slice(0, Math.max(0, firstMeasured));
  await bare.replay(warmUp);
  ctx.cpu.start();
  await bare.replay(m.replay.slice(warmUp.length));
  const cpu = ctx.cpu.stop();
  const { drained, drainMs } = await drain(ctx, false);
  m.bare = {
    figures: await ctx.pool.analyze(m.due.filter((d) => d.id !== null).map((d) => ({ ...d, toConsumer: null }))),
    cpu,
    drained,
    drainMs,
  };
}
