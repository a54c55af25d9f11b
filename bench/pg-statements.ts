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

/** What to call around the measured seconds: `reset` at their start, `read` at their end. */
export class PgStatements {
  private constructor(private readonly db: Client) {}

  /** On `url`'s server (the extension is created in that database; the view covers every database). */
  static async open(url: string): Promise<PgStatements> {
    const db = new Client({ connectionString: url });
    await db.connect();
    await db.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    return new PgStatements(db);
  }

  async reset(): Promise<void> {
    await this.db.query('SELECT pg_stat_statements_reset()');
  }

  /** The statements by total execution time, in every database (`limit` of them) and the sum over all. */
  async read(limit = 25): Promise<{ top: StatementRow[]; calls: number; totalMs: number }> {
    const { rows } = await this.db.query<{ calls: string; total: number; query: string }>(
      `SELECT calls, total_exec_time AS total, left(regexp_replace(query, '\\s+', ' ', 'g'), 110) AS query
       FROM pg_stat_statements ORDER BY total_exec_time DESC`,
    );
    const all = rows.map((r) => ({ calls: Number(r.calls), totalMs: r.total, query: r.query }));
    return {
      top: all.slice(0, limit),
      calls: all.reduce((n, r) => n + r.calls, 0),
      totalMs: all.reduce((n, r) => n + r.totalMs, 0),
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

export interface ActivityRow {
  app: string;
  state: string;
  wait: string;
  /** Connections in this state, on average over the samples. */
  mean: number;
}

/**
 * What the apps' connections are doing, sampled from pg_stat_activity every `everyMs` while it
 * runs: a transaction "idle in transaction / ClientRead" waits on its app's event loop, a `Lock/…`
 * one on another transaction, an `IO/…` one on the disk — which says whether a slow command is
 * PostgreSQL's time or the app's.
 */
export class PgActivity {
  private readonly counts = new Map<string, number>();
  private samples = 0;
  private running?: Promise<void>;
  private stopped = false;

  private constructor(private readonly db: Client) {}

  static async open(url: string): Promise<PgActivity> {
    const db = new Client({ connectionString: url, application_name: 'bench-activity' });
    await db.connect();
    return new PgActivity(db);
  }

  start(everyMs = 20): void {
    this.counts.clear();
    this.samples = 0;
    this.stopped = false;
    this.running = (async () => {
      while (!this.stopped) {
        const { rows } = await this.db.query<{ app: string; state: string; wait: string }>(
          `SELECT application_name AS app, state, coalesce(wait_event_type || '/' || wait_event, '-') AS wait
           FROM pg_stat_activity WHERE backend_type = 'client backend' AND application_name LIKE 'countylink%'`,
        );
        this.samples++;
        for (const r of rows) {
          const key = `${r.app}\t${r.state}\t${r.wait}`;
          this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
        }
        await new Promise((r) => setTimeout(r, everyMs));
      }
    })();
  }

  /** The states seen, by mean number of connections (`limit` of them). */
  async stop(limit = 15): Promise<{ samples: number; rows: ActivityRow[] }> {
    this.stopped = true;
    await this.running;
    const rows = [...this.counts]
      .map(([key, n]) => {
        const [app, state, wait] = key.split('\t');
        return { app, state, wait, mean: n / Math.max(1, this.samples) };
      })
      .sort((a, b) => b.mean - a.mean)
      .slice(0, limit);
    return { samples: this.samples, rows };
  }

  close(): Promise<void> {
    return this.db.end();
  }
}

export function activityLines(read: Awaited<ReturnType<PgActivity['stop']>>): string[] {
  return [
    `pg_stat_activity, ${read.samples} samples over the measured seconds: the apps' connections by state (mean number of connections in it):`,
    ...read.rows.map((r) => `  ${r.mean.toFixed(2).padStart(6)}  ${r.app.padEnd(34)} ${r.state.padEnd(20)} ${r.wait}`),
  ];
}
