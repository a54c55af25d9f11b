import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { AuthModule, LocalIssuer, Principal, Role } from '@countylink/auth';
import { MessagingCoreModule, readinessProbes } from '@countylink/messaging';
import { backboneRootModule, loadConfig, PlatformConfig, startHttpApp } from '@countylink/platform';
import { createTestDatabase } from '../postgres/test-postgres';
import { kafkaEnvFor } from '../kafka-apache/e2e-kafka';

export const DEMO_SEED_FILE = resolve(__dirname, '../../../../apps/referral-registry/seed/demo-county.json');

interface SeedMember {
  id: string;
  institutionId: string;
  departmentId?: string;
  roles: Role[];
}

const demoMembers: SeedMember[] = JSON.parse(readFileSync(DEMO_SEED_FILE, 'utf8')).members;

export interface TestAppOptions {
  features: Array<DynamicModule | Type<unknown>>;
  dataSources: string[];
  /** Use the Apache Kafka of the e2e run (or these brokers, e.g. a suite's own mock); otherwise the in-process bus. */
  kafka?: boolean | string;
  /** Reuse a database (to restart an app on the same data); a fresh one is made otherwise. */
  databaseUrl?: string;
  /** Share a key directory between instances so their tokens are interchangeable. */
  keysDir?: string;
  groupPrefix?: string;
  env?: Record<string, string>;
}

/**
 * The platform's config of a test app, and the identity hash key it gave the apps (the referral
 * registry's setting), for a process started beside it with the same keys.
 */
export type TestAppConfig = PlatformConfig & { readonly IDENTITY_HASH_KEY: string };

export interface TestApp {
  app: INestApplication;
  url: string;
  config: TestAppConfig;
  /** The environment the apps were started with; each app module read its own config from it. */
  env: Readonly<Record<string, string>>;
  /** An app's own config as its module loaded it (e.g. `t.settings(RemoteDiagnosisConfig)`). */
  settings<T>(type: Type<T>): T;
  /** A token for a demo user of the seed (e.g. `township-a-doctor`). */
  token(login: string): Promise<string>;
  /** A token for any principal (for scope and role tests). */
  mint(principal: Principal, ttlSeconds?: number): Promise<string>;
  close(): Promise<void>;
}

let appsStarted = 0;

/**
 * Boots app modules as a real HTTP server on a free port, against the e2e run's PostgreSQL (a
 * database of its own) and, when asked, the mock Kafka cluster — the same code path as `main.ts`.
 */
export async function startTestApp(options: TestAppOptions): Promise<TestApp> {
  const adminUrl = process.env.TEST_PG_ADMIN_URL;
  if (!adminUrl)
    throw new Error('TEST_PG_ADMIN_URL is not set: run e2e tests through jest (globalSetup starts PostgreSQL)');
  const brokers =
    typeof options.kafka === 'string' ? options.kafka : options.kafka ? process.env.TEST_KAFKA_BROKERS : undefined;
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    PORT: '0',
    // Every suite's app listens for modalities too; a fixed DIMSE port would collide between workers.
    DICOM_DIMSE_PORT: '0',
    DATABASE_URL: options.databaseUrl ?? (await createTestDatabase(adminUrl)),
    IDENTITY_HASH_KEY: 'test-identity-hash-key-0123456789',
    AUTH_LOCAL_KEYS_DIR: options.keysDir ?? mkdtempSync(join(tmpdir(), 'countylink-keys-')),
    // Tests mint their own tokens: the local issuer, switched on explicitly (a suite with its own provider sets AUTH_JWKS_URL).
    ...(options.env?.AUTH_JWKS_URL ? {} : { AUTH_LOCAL_ISSUER: 'enabled' }),
    DIRECTORY_SEED_FILE: DEMO_SEED_FILE,
    // The e2e run keeps every app's log in a file (TEST_LOG_DIR), at info, for its teardown to search
    // for patient data; elsewhere errors only, to stdout.
    ...(process.env.TEST_LOG_DIR
      ? {
          LOG_FILE: join(process.env.TEST_LOG_DIR, `app-${process.pid}-${++appsStarted}.log`),
          LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'info',
        }
      : { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error' }),
    TIMER_POLL_MS: '100',
    OUTBOX_POLL_MS: '500',
    KAFKA_SESSION_TIMEOUT_MS: '3500',
    KAFKA_GROUP_PREFIX: options.groupPrefix ?? `test-${randomBytes(4).toString('hex')}`,
    CONSUMER_MAX_ATTEMPTS: '3',
    // On the e2e run's secured broker, as the standalone app's principal (SASL_SSL).
    ...(brokers ? kafkaEnvFor(brokers) : {}),
    ...options.env,
  };
  const config = loadConfig(env);
  const root = backboneRootModule({
    config,
    imports: [AuthModule.forRoot(config), MessagingCoreModule.forRoot(), ...options.features],
    probes: readinessProbes(options.dataSources),
  });
  const app = await startHttpApp(root, config, { title: 'test', host: '127.0.0.1', shutdownHooks: false });
  const { port } = app.getHttpServer().address() as { port: number };
  // Looked up when used: with AUTH_JWKS_URL there is no local issuer (the suite's provider mints tokens).
  const issuer = () => app.get(LocalIssuer);
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    config: { ...config, IDENTITY_HASH_KEY: env.IDENTITY_HASH_KEY },
    env: Object.freeze({ ...env }),
    settings: (type) => app.get(type, { strict: false }),
    mint: (principal, ttl) => issuer().mint(principal, ttl),
    token: async (login) => {
      const m = demoMembers.find((member) => member.id === login);
      if (!m) throw new Error(`no demo member ${login}`);
      return issuer().mint({ sub: m.id, roles: m.roles, institutionId: m.institutionId, departmentId: m.departmentId });
    },
    close: () => app.close(),
  };
}
