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
