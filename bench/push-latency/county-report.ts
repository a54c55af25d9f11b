/** What the county bench prints: per-kind figures beside bare, the targets, the step series. */
import { cpus } from 'node:os';
import type { KindFigures } from './county-clients';
import { KINDS } from './county-events';
import { countOf, merge, quantile } from './histogram';
import { Measurement, SECONDS, Side } from './county-run';

const TARGET_P99_MS = 100;
const TARGET_BARE_RATIO = 3;

export function total(figures: Record<string, KindFigures>): KindFigures {
  const t: KindFigures = {
    events: 0,
    expected: 0,
    received: 0,
    lost: 0,
    duplicated: 0,
    unexpected: 0,
    histogram: {},
    afterConsumer: {},
    max: 0,
    first: Number.MAX_SAFE_INTEGER,
    last: 0,
    samples: [],
  };
  for (const f of Object.values(figures)) {
    for (const k of ['events', 'expected', 'received', 'lost', 'duplicated', 'unexpected'] as const) t[k] += f[k];
    merge(t.histogram, f.histogram);
    merge(t.afterConsumer, f.afterConsumer);
    t.max = Math.max(t.max, f.max);
    [t.first, t.last] = [Math.min(t.first, f.first), Math.max(t.last, f.last)];
    t.samples.push(...f.samples);
  }
  return t;
}

const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(v < 10 ? 1 : 0) : '-');
const col = (v: string | number, w: number) => String(v).padStart(w);
const p = (f: KindFigures | undefined, q: number) => (f ? quantile(f.histogram, q) : NaN);
const perSecond = (f: KindFigures | undefined) => (f ? Math.round(countOf(f.histogram) / SECONDS) : 0);
/** Frames a second over the span from the first receipt to the last. */
const spanRate = (f: KindFigures | undefined) =>
  f && f.last > f.first ? Math.round(countOf(f.histogram) / Math.max(1, (f.last - f.first) / 1000)) : 0;
const ratio = (a: number, b: number) => (Number.isFinite(a / b) && b > 0 ? `×${(a / b).toFixed(1)}` : '-');

function sortedQuantile(values: number[] | undefined, q: number): number {
  const s = [...(values ?? [])].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : NaN;
}

const legs = (values: number[]) => `${ms(sortedQuantile(values, 0.5))} / ${ms(sortedQuantile(values, 0.99))}`;

function row(label: string, f: KindFigures, bare: KindFigures | undefined, toConsumer: number[] | undefined): string {
  return [
    label.padEnd(22),
    col(f.events, 6),
    col(`${f.received}/${f.expected}`, 14),
    col(f.lost, 5),
    col(f.duplicated, 4),
    ' |',
    col(ms(p(f, 0.5)), 6),
    col(ms(p(f, 0.99)), 6),
    col(ms(f.max), 6),
    col(perSecond(f), 7),
    ' |',
    col(ms(p(bare, 0.5)), 6),
    col(ms(p(bare, 0.99)), 6),
    col(ms(bare?.max ?? NaN), 6),
    col(perSecond(bare), 7),
    ' |',
    col(ratio(p(f, 0.99), p(bare, 0.99)), 6),
    ' |',
    col(ms(sortedQuantile(toConsumer, 0.5)), 6),
    col(ms(sortedQuantile(toConsumer, 0.99)), 6),
  ].join(' ');
}

function cpuLine(side: Side): string {
  return `${Object.entries(side.cpu.cores)
    .map(([name, c]) => `${name} ${c.toFixed(2)}`)
    .join(', ')}; machine ${side.cpu.machine.toFixed(2)} of ${cpus().length} cores`;
}

/** The main run: every kind, beside bare, the samples of anything lost, and whether the targets hold. */
export function mainReport(m: Measurement): string[] {
  const ours = total(m.ours.figures);
  const bare = m.bare ? total(m.bare.figures) : undefined;
  const lines = [
    `${'kind'.padEnd(22)} ${col('events', 6)} ${col('frames got/due', 14)} ${col('lost', 5)} ${col('dup', 4)}  | ${col('p50', 6)} ${col('p99', 6)} ${col('max', 6)} ${col('frm/s', 7)}  |` +
      ` ${col('bare50', 6)} ${col('bare99', 6)} ${col('max', 6)} ${col('frm/s', 7)}  | ${col('×bare', 6)}  | ${col('→rt50', 6)} ${col('→rt99', 6)}`,
    ...KINDS.filter((k) => m.ours.figures[k]).map((k) =>
      row(k, m.ours.figures[k], m.bare?.figures[k], m.toConsumer[k]),
    ),
    row('all', ours, bare, Object.values(m.toConsumer).flat()),
    "(ms, event time → receipt; ×bare: p99 over bare's; →rt: event time → the realtime consumer's transaction start — outbox, relay, Kafka, partition queue)",
  ];
  const sorted = [...m.run.commandMs].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  lines.push(
    `events committed in the measured ${SECONDS} s: ${m.due.length} (${(m.due.length / SECONDS).toFixed(1)}/s; the driver's last tick ${m.run.lagMs.toFixed(0)} ms behind schedule), ${m.run.failed} failed,` +
      ` ${m.run.skipped} referral ticks skipped (every referral in progress awaiting the registry);` +
      ` notifications recorded for them ${m.recorded}, never recorded ${m.unrecorded}`,
    `rooms: ${m.replay.length - m.roomMismatches} of ${m.replay.length} notifications went to exactly the rooms the county expects${m.roomMismatches ? ` (${m.roomMismatches} did not)` : ''}`,
    ...m.mismatchSamples.map((s) => `  room mismatch: ${s}`),
    `referral commands' HTTP round trips (the event time is taken inside them): p50 ${ms(at(0.5))} ms  p99 ${ms(at(0.99))} ms (${sorted.length} commands);` +
      ` the driver's event-loop delay p50 ${ms(m.run.loopDelay.p50)} ms  p99 ${ms(m.run.loopDelay.p99)} ms`,
    `where the time goes, p50 / p99 ms: event time → on Kafka (the rest of the command's transaction, the outbox relay) ${legs(m.legs.relay)};` +
      ` on Kafka → the realtime consumer's transaction start (fetch, the partition's queue) ${legs(m.legs.kafka)};` +
      ` the consumer's transaction start → receipt (record, NOTIFY to both instances, dispatch, socket) ${ms(quantile(ours.afterConsumer, 0.5))} / ${ms(quantile(ours.afterConsumer, 0.99))}`,
    `lost ${ours.lost}, duplicated ${ours.duplicated}, unexpected ${ours.unexpected} (per client and notification id)${m.ours.drained ? '' : `; behind: frames came for ${(m.ours.drainMs / 1000).toFixed(0)} s after the last event`}`,
    ...ours.samples.slice(0, 10).map((s) => `  ${s}`),
  );
  if (bare) {
    lines.push(`bare: lost ${bare.lost}, duplicated ${bare.duplicated}`);
    const [ourP99, bareP99] = [quantile(ours.histogram, 0.99), quantile(bare.histogram, 0.99)];
    // Over the span the frames actually took (a CountyLink that falls behind stretches it).
    const [ourRate, bareRate] = [spanRate(ours), spanRate(bare)];
    lines.push(
      `ratio      p50 ${ratio(quantile(ours.histogram, 0.5), quantile(bare.histogram, 0.5))}  p99 ${ratio(ourP99, bareP99)}  deliveries/s ×${(ourRate / bareRate).toFixed(2)} (${Math.round(ourRate)} vs ${Math.round(bareRate)}, first to last receipt)`,
      `targets    p99 ${ms(ourP99)} ms < ${TARGET_P99_MS} ms: ${ourP99 < TARGET_P99_MS ? 'met' : 'NOT met'};  p99 ≤ ${TARGET_BARE_RATIO}× bare's (${ms(bareP99)} ms): ${ourP99 <= TARGET_BARE_RATIO * bareP99 ? 'met' : 'NOT met'}` +
        ` (${ratio(ourP99, bareP99)});  no frame lost or duplicated: ${ours.lost + ours.duplicated + ours.unexpected === 0 ? 'met' : 'NOT met'}`,
      `CPU, measured phase (cores): ${cpuLine(m.ours)}`,
      `CPU, bare replay (cores):    ${cpuLine(m.bare!)}`,
    );
  }
  return lines;
}

/** Node processes top out at one core each (PostgreSQL and Kafka have threads or processes to spare). */
const NODE_GROUP = (name: string) => name !== 'postgres' && name !== 'kafka';

export interface Step {
  clients: number;
  rate: number;
  /** Undefined when skipped: a slower rate on as many clients had already saturated. */
  m?: Measurement;
}

function stepLine(s: Step, groups: string[]): string {
  if (!s.m)
    return `${col(s.clients, 7)} ${col(s.rate, 5)}   skipped: a slower rate on as many clients already saturated`;
  const m = s.m;
  const t = total(m.ours.figures);
  const b = m.bare ? total(m.bare.figures) : undefined;
  return [
    col(m.clients, 7),
    col(m.rate, 5),
    col((m.due.length / SECONDS).toFixed(0), 6),
    col(`${t.received}/${t.expected}`, 16),
    col(t.lost, 6),
    col(t.duplicated, 4),
    col(ms(quantile(t.histogram, 0.5)), 6),
    col(ms(quantile(t.histogram, 0.99)), 6),
    col(ms(t.max), 6),
    col(ms(p(b, 0.99)), 6),
    col(ratio(quantile(t.histogram, 0.99), p(b, 0.99)), 6),
    col(spanRate(t), 7),
    col(spanRate(b), 7),
    col(ms(sortedQuantile(m.run.commandMs, 0.5)), 6),
    col(ms(m.run.loopDelay.p99), 6),
    col(ms(sortedQuantile(m.legs.relay, 0.5)), 6),
    col(ms(sortedQuantile(m.legs.kafka, 0.5)), 6),
    col(ms(quantile(t.afterConsumer, 0.5)), 6),
    '|',
    groups.map((g) => (m.ours.cpu.cores[g] ?? 0).toFixed(2).padStart(Math.max(4, g.length))).join(' '),
    m.ours.cpu.machine.toFixed(2).padStart(7),
    m.ours.drained ? '' : ` (behind: frames came for ${(m.ours.drainMs / 1000).toFixed(0)} s after the last event)`,
  ].join(' ');
}

/** The step series: one line per step, where p99 crosses the target and what saturates first. */
export function stepReport(all: Step[]): string[] {
  const steps = all.map((s) => s.m).filter((m): m is Measurement => m !== undefined);
  const groups = Object.keys(steps[0]?.ours.cpu.cores ?? {});
  const lines = [
    `${col('clients', 7)} ${col('ev/s', 5)} ${col('sent/s', 6)} ${col('frames got/due', 16)} ${col('lost', 6)} ${col('dup', 4)} ${col('p50', 6)} ${col('p99', 6)} ${col('max', 6)}` +
      ` ${col('bare99', 6)} ${col('×bare', 6)} ${col('frm/s', 7)} ${col('bare/s', 7)} ${col('http50', 6)} ${col('loop99', 6)} ${col('relay', 6)} ${col('queue', 6)} ${col('push', 6)} | CPU cores: ${groups.join(' ')} machine`,
    ...all.map((s) => stepLine(s, groups)),
    "(ms; sent/s: events committed a second; frm/s, bare/s: frames a second from the first receipt to the last; http50: the referral commands' HTTP round trip p50; loop99: the driver's event-loop delay p99;" +
      " relay, queue, push: p50 of event time → on Kafka, → the realtime consumer's transaction start, → receipt)",
  ];
  const p99 = (s: Measurement) => quantile(total(s.ours.figures).histogram, 0.99);
  const crossing = steps.find((s) => !(p99(s) < TARGET_P99_MS));
  lines.push(
    crossing
      ? `p99 crosses ${TARGET_P99_MS} ms at ${crossing.clients} clients × ${crossing.rate} ev/s (p99 ${ms(p99(crossing))} ms)`
      : `p99 stays under ${TARGET_P99_MS} ms in every step (up to ${steps.at(-1)?.clients} clients × ${steps.at(-1)?.rate} ev/s)`,
  );
  const load = (s: Measurement, g: string) => (s.ours.cpu.cores[g] ?? 0) / Math.max(1, s.ours.cpu.processes[g] ?? 1);
  const full = (s: Measurement) => groups.filter((g) => NODE_GROUP(g) && load(s, g) >= 0.85);
  const machineFull = (s: Measurement) => s.ours.cpu.machine >= 0.9 * cpus().length;
  const first = steps.find((s) => full(s).length > 0 || machineFull(s));
  const at = crossing ?? steps.at(-1);
  if (at) {
    const top = Object.entries(at.ours.cpu.cores)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([g, c]) => `${g} ${c.toFixed(2)}`)
      .join(', ');
    lines.push(
      `busiest at ${at.clients} × ${at.rate}: ${top} cores; the machine ${at.ours.cpu.machine.toFixed(2)} of ${cpus().length}`,
    );
  }
  lines.push(
    first
      ? `saturates first: at ${first.clients} clients × ${first.rate} ev/s — ${[
          ...full(first).map((g) => `${g} (${load(first, g).toFixed(2)} of a core per process)`),
          ...(machineFull(first)
            ? [`the machine (${first.ours.cpu.machine.toFixed(2)} of ${cpus().length} cores busy)`]
            : []),
        ].join(', ')}`
      : 'no process reaches a full core and the machine stays below 90 % in any step',
  );
  const throughput = steps.find((s) => !s.ours.drained || s.due.length / SECONDS < 0.9 * s.rate);
  if (throughput)
    lines.push(
      `throughput gives out first at ${throughput.clients} clients × ${throughput.rate} ev/s (${(throughput.due.length / SECONDS).toFixed(0)} ev/s sent` +
        `${throughput.ours.drained ? '' : ', frames still arriving at the drain deadline'})`,
    );
  return lines;
}
