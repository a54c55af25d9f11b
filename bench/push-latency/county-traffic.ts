/**
 * The county's event mix at a steady rate: of every 100 events, 36 referral commands over HTTP
 * (requests — one in seven an emergency on the green channel, which also raises an alert —,
 * receipts, acceptances, admissions, completions, some rejections, cancellations and down-referrals),
 * 40 read steps (ordered, ready, claimed, reported), 3 critical values, 15 bookings and 6
 * cancellations. Ticks are spread evenly; a command waits for no other, and what it committed is
 * listed with the phase (warm-up or measured) it was sent in.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Kind, Produced, Rng } from './county-events';
/** Commits one event of a kind (a read step, a critical value, a booking) and says what it committed. */
export interface Publisher {
  publish(kind: Kind, record: (p: Omit<Produced, 'measured'>) => void): Promise<void>;
}
import type { ReferralFlows } from './county-referrals';

const MIX: Array<[Kind | 'referral', number]> = [
  ['referral', 36],
  ['read.ordered', 10],
  ['read.ready', 10],
  ['read.claimed', 10],
  ['read.reported', 10],
  ['critical-value alert', 3],
  ['appointment.booked', 15],
  ['appointment.cancelled', 6],
];

function sequence(rng: Rng): Array<Kind | 'referral'> {
  const items = MIX.flatMap(([kind, n]) => Array.from({ length: n }, () => kind));
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

export interface TrafficRun {
  produced: Produced[];
  /** Epoch ms: warm-up start, measured phase start and end (the last tick). */
  warmUpAt: number;
  measuredAt: number;
  endedAt: number;
  ticks: number;
  failed: number;
  /** Referral ticks with every referral in progress waiting for the registry's answer. */
  skipped: number;
  /** The referral commands' HTTP round trips of this run (ms). */
  commandMs: number[];
  /** How late the last tick went out behind its schedule (ms): the driver keeping up or not. */
  lagMs: number;
  /** This process's (the driver's, the Kafka tap's) event-loop delay over the measured phase, p50/p99 ms. */
  loopDelay: { p50: number; p99: number };
}

export class CountyTraffic {
  private readonly order: Array<Kind | 'referral'>;
  private tick = 0;
  private failed = 0;
  readonly failures: string[] = [];

  constructor(
    private readonly referrals: ReferralFlows,
    private readonly publications: Publisher,
    rng: Rng,
  ) {
    this.order = sequence(rng);
  }

  /** `rate` events a second, `warmUp` s then `seconds` s measured; resolves when every command answered. */
  async run(rate: number, warmUp: number, seconds: number, onMeasured: () => void): Promise<TrafficRun> {
    const produced: Produced[] = [];
    const pending: Promise<void>[] = [];
    const warmTicks = Math.round(rate * warmUp);
    const total = warmTicks + Math.round(rate * seconds);
    const failedBefore = this.failed + this.referrals.failed;
    const skippedBefore = this.referrals.skipped;
    const commandsBefore = this.referrals.commandMs.length;
    const start = performance.now();
    const run: TrafficRun = {
      produced,
      warmUpAt: Date.now(),
      measuredAt: 0,
      endedAt: 0,
      ticks: total,
      failed: 0,
      skipped: 0,
      commandMs: [],
      lagMs: 0,
      loopDelay: { p50: NaN, p99: NaN },
    };
    const loop = monitorEventLoopDelay({ resolution: 10 });
    for (let i = 0; i < total; i++) {
      const due = start + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      if (i === warmTicks) {
        run.measuredAt = Date.now();
        loop.enable();
        onMeasured();
      }
      const measured = i >= warmTicks;
      const record = (p: Omit<Produced, 'measured'>) => void produced.push({ ...p, measured });
      const kind = this.order[this.tick++ % this.order.length];
      pending.push(
        kind === 'referral'
          ? this.referrals.step(record)
          : this.publications.publish(kind, record).catch((err: unknown) => this.fail(err)),
      );
      run.lagMs = performance.now() - due;
    }
    run.endedAt = Date.now();
    loop.disable();
    run.loopDelay = { p50: loop.percentile(50) / 1e6, p99: loop.percentile(99) / 1e6 };
    await Promise.all(pending);
    run.failed = this.failed + this.referrals.failed - failedBefore;
    run.skipped = this.referrals.skipped - skippedBefore;
    run.commandMs = this.referrals.commandMs.slice(commandsBefore);
    return run;
  }

  private fail(err: unknown): void {
    this.failed++;
    if (this.failures.length < 5) this.failures.push(String(err));
  }
}
