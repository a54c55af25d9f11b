import { Client } from 'pg';

/** Server settings that load pg_stat_statements (only at start: it is a preloaded library). */
export const PG_STATEMENTS_SETTINGS = {
  shared_preload_libraries: 'pg_stat_statements',
  'pg_stat_statements.track': 'all',
};

/** `BENCH_PG_STATEMENTS=1`: the benches load pg_stat_statements and print where PostgreSQL's time went. */
export const PG_STATEMENTS_WANTED = process.env.BENCH_PG_STATEMENTS === '1';

export interface StatementRow {
  calls: number;
  totalMs: number;
  query: string;
}

export interface ActivityRow {
  app: string;
  state: string;
  wait: string;
  /** Connections in this state, on average over the samples. */
  mean: number;
}

const ACTIVITY_EVERY_MS = 20;

interface Sampling {
  stopped: boolean;
  samples: number;
  /** By app, state and wait event: how many samples saw a connection in it. */
  seen: Map<string, Omit<ActivityRow, 'mean'> & { n: number }>;
  done: Promise<void>;
}

/**
 * What to call around the measured seconds: `reset` at their start, `read` at their end. With
 * `sampleActivity`, it also samples pg_stat_activity in between: what the apps' connections are
 * doing — "idle in transaction / ClientRead" waits on its app's event loop, `Lock/…` on another
 * transaction, `IO/…` on the disk — which says whether a slow command is PostgreSQL's time or the app's.
 */
export class PgStatements {
  private sampling?: Sampling;

  private constructor(private readonly db: Client) {}

  /** On `url`'s server (the extension is created in that database; the view covers every database). */
  static async open(url: string): Promise<PgStatements> {
    const db = new Client({ connectionString: url });
    await db.connect();
    await db.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    return new PgStatements(db);
  }

  async reset(sampleActivity = false): Promise<void> {
    await this.db.query('SELECT pg_stat_statements_reset()');
    if (sampleActivity) this.sampleActivity();
  }

  private sampleActivity(): void {
    const sampling: Sampling = { stopped: false, samples: 0, seen: new Map(), done: Promise.resolve() };
    sampling.done = (async () => {
      while (!sampling.stopped) {
        const { rows } = await this.db.query<{ app: string; state: string; wait: string }>(
          `SELECT application_name AS app, state, coalesce(wait_event_type || '/' || wait_event, '-') AS wait
           FROM pg_stat_activity WHERE backend_type = 'client backend' AND application_name LIKE 'countylink%'`,
        );
        sampling.samples++;
        for (const r of rows) {
          const key = JSON.stringify([r.app, r.state, r.wait]);
          const row = sampling.seen.get(key) ?? sampling.seen.set(key, { ...r, n: 0 }).get(key)!;
          row.n++;
        }
        await new Promise((r) => setTimeout(r, ACTIVITY_EVERY_MS));
      }
    })();
    this.sampling = sampling;
  }

  /**
   * The statements by total execution time, in every database (`limit` of them) and the sum over
   * all; and, when `reset` sampled, the connections' states by mean number of connections.
   */
  async read(limit = 25): Promise<{
    top: StatementRow[];
    calls: number;
    totalMs: number;
    activity?: { samples: number; rows: ActivityRow[] };
  }> {
    const sampling = this.sampling;
    this.sampling = undefined;
    if (sampling) sampling.stopped = true;
    await sampling?.done;
    const { rows } = await this.db.query<{ calls: string; total: number; query: string }>(
      `SELECT calls, total_exec_time AS total, left(regexp_replace(query, '\\s+', ' ', 'g'), 110) AS query
       FROM pg_stat_statements ORDER BY total_exec_time DESC`,
    );
    const all = rows.map((r) => ({ calls: Number(r.calls), totalMs: r.total, query: r.query }));
    return {
      top: all.slice(0, limit),
      calls: all.reduce((n, r) => n + r.calls, 0),
      totalMs: all.reduce((n, r) => n + r.totalMs, 0),
      activity: sampling && {
        samples: sampling.samples,
        rows: [...sampling.seen.values()]
          .map(({ n, ...row }) => ({ ...row, mean: n / Math.max(1, sampling.samples) }))
          .sort((a, b) => b.mean - a.mean)
          .slice(0, 15),
      },
    };
  }

  close(): Promise<void> {
    return this.db.end();
  }
}

/** Lines for a report: calls and execution time per unit of work (`per` units, e.g. attempts or events). */
export function statementLines(read: Awaited<ReturnType<PgStatements['read']>>, per: number, unit: string): string[] {
  const f = (n: number) => (n / per).toFixed(2);
  return [
    `pg_stat_statements: ${f(read.calls)} statements and ${f(read.totalMs)} ms of execution per ${unit} (all statements); the top ${read.top.length} by total time:`,
    ...read.top.map(
      (r) =>
        `  ${f(r.calls).padStart(6)}/${unit}  ${f(r.totalMs).padStart(7)} ms/${unit}  mean ${(r.totalMs / r.calls).toFixed(3).padStart(7)} ms  ${r.query}`,
    ),
  ];
}

export function activityLines(activity: { samples: number; rows: ActivityRow[] }): string[] {
  return [
    `pg_stat_activity, ${activity.samples} samples over the measured seconds: the apps' connections by state (mean number of connections in it):`,
    ...activity.rows.map(
      (r) => `  ${r.mean.toFixed(2).padStart(6)}  ${r.app.padEnd(34)} ${r.state.padEnd(20)} ${r.wait}`,
    ),
  ];
}
