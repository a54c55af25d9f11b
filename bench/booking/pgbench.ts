import { execFile } from 'node:child_process';

export interface PgbenchResult {
  tps: number;
  latencyMs: number;
  transactions: number;
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('pgbench', args, { env, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) {
        const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
        reject(
          new Error(
            missing
              ? 'pgbench is missing: apt-get install -y postgresql-contrib (or postgresql-client)'
              : `pgbench failed: ${stderr || err.message}`,
          ),
        );
        return;
      }
      resolve(`${stdout}\n${stderr}`);
    });
  });
}

function envFor(url: string): NodeJS.ProcessEnv {
  const u = new URL(url);
  return {
    ...process.env,
    PGHOST: u.hostname,
    PGPORT: u.port || '5432',
    PGUSER: decodeURIComponent(u.username),
    PGPASSWORD: decodeURIComponent(u.password),
    PGDATABASE: u.pathname.slice(1),
  };
}

/** Creates pgbench's tables at `scale` (scale = branches, its hot rows). */
export async function initPgbench(url: string, scale: number): Promise<void> {
  await run(['-i', '-q', '-s', String(scale)], envFor(url));
}

/** pgbench's built-in TPC-B-like script on `url`'s (initialised) database. */
export async function runPgbench(
  url: string,
  opts: { clients: number; threads: number; seconds: number },
): Promise<PgbenchResult> {
  const env = envFor(url);
  const out = await run(
    ['-b', 'tpcb-like', '-c', String(opts.clients), '-j', String(opts.threads), '-T', String(opts.seconds), '-n'],
    env,
  );
  const tps = Number(
    /tps = ([\d.]+) \(without initial connection time\)/.exec(out)?.[1] ?? /tps = ([\d.]+)/.exec(out)?.[1],
  );
  const latencyMs = Number(/latency average = ([\d.]+) ms/.exec(out)?.[1]);
  const transactions = Number(/number of transactions actually processed: (\d+)/.exec(out)?.[1]);
  if (!Number.isFinite(tps)) throw new Error(`could not read pgbench's tps from:\n${out}`);
  return { tps, latencyMs, transactions };
}
