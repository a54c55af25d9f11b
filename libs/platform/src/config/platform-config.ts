import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { jwksUrlAllowed, JWKS_URL_RULE, localIssuerAlone, needsJwksUrl, oidcClientConfigured } from './auth-rules';
import { KafkaClientConfig } from './kafka-client-config';
import { ParsedSetting, toBool, toInt } from './settings';

const BROKER = /^[^,\s]+:\d+$/;

/** `host:port[,host:port…]` → the broker list. */
export function parseBrokers(raw: string): string[] {
  const brokers = raw.split(',');
  if (!brokers.every((b) => BROKER.test(b))) throw new Error('KAFKA_BROKERS must be host:port[,host:port…]');
  return brokers;
}

/** A working day and a half: a console session lasts a shift (the demo sign-in mints this long). */
export const DEFAULT_TOKEN_MAX_LIFETIME_SECONDS = 12 * 3600;

/**
 * What every CountyLink process needs — HTTP, database, Kafka, auth, logs, timers and consumers —
 * validated once at start (see `loadConfig`). A missing or malformed value stops the process with a
 * message naming the variable. The Kafka client's TLS and SASL settings come from KafkaClientConfig.
 * An app's own settings are in its own class (e.g. apps/referral-registry/src/referral-registry.config.ts),
 * loaded by its module from the same environment (see `appConfigProvider`).
 */
export class PlatformConfig extends KafkaClientConfig {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  /** postgres://user:pass@host:port/db — the standalone app starts an embedded server when unset. */
  @IsString()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL: string;

  /** Comma-separated host:port list. Unset: events are delivered in process (embedded default). */
  @IsOptional()
  @ParsedSetting(parseBrokers)
  KAFKA_BROKERS?: string[];

  @IsString()
  @MinLength(1)
  KAFKA_CLIENT_ID = 'countylink';

  /** Consumer group session timeout; a member that stops heartbeating is dropped after it. */
  @Transform(toInt)
  @IsInt()
  @Min(3500)
  KAFKA_SESSION_TIMEOUT_MS = 10_000;

  /** Prefix of consumer group ids, so several deployments can share a cluster. */
  @IsString()
  @Matches(/^[\w.-]+$/)
  KAFKA_GROUP_PREFIX = 'countylink';

  /**
   * Longest a consumer's fetch waits for data. Apache Kafka answers as soon as data arrives, so this
   * only bounds idle polling: at 100 ms, an instance's ten or so consumer groups sent a hundred
   * empty fetches a second, and kafkajs was a tenth of a booking instance's CPU. A consumer notices
   * a rebalance when its fetch returns, so this stays well under the session timeout.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000)
  KAFKA_FETCH_MAX_WAIT_MS = 500;

  /**
   * Partitions one consumer works on at once; each partition (so each aggregate) stays in order.
   * kafkajs fetches a broker's partitions together and fetches again only when every batch of the
   * last fetch is handled, so with 1 an event waits for the other partitions' batches before it.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(64)
  KAFKA_PARTITIONS_CONSUMED_CONCURRENTLY = 4;

  /** A directory seed (institutions, departments, people, township catalog) applied at start. */
  @IsOptional()
  @IsString()
  DIRECTORY_SEED_FILE?: string;

  /**
   * JWKS of the group's OIDC provider: required, except for the embedded default's local issuer
   * (AUTH_LOCAL_ISSUER=enabled). An https:// URL — over http the keys that decide who is signed in
   * could be swapped on the way; only a test (NODE_ENV=test) may fetch them from its own machine.
   */
  @ValidateIf(needsJwksUrl)
  @IsDefined({
    message: ({ object }) =>
      oidcClientConfigured(object as PlatformConfig)
        ? "AUTH_JWKS_URL must be set with AUTH_OIDC_AUTHORITY / AUTH_OIDC_CLIENT_ID (the provider's JWKS verifies its tokens)"
        : "AUTH_JWKS_URL must be set to the JWKS of the group's OIDC provider: a service verifies tokens against it (only the embedded default, `npm start`, runs a local issuer)",
  })
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  @jwksUrlAllowed({ message: JWKS_URL_RULE })
  AUTH_JWKS_URL?: string;

  /**
   * The local token issuer (keys in AUTH_LOCAL_KEYS_DIR, demo sign-in): set by the embedded default
   * when it has no AUTH_JWKS_URL, and by the test harness. Never together with AUTH_JWKS_URL.
   */
  @IsIn(['enabled', 'disabled'])
  @localIssuerAlone({
    message:
      'AUTH_LOCAL_ISSUER=enabled cannot be combined with AUTH_JWKS_URL: tokens come from the provider or from the local issuer, not both',
  })
  AUTH_LOCAL_ISSUER: 'enabled' | 'disabled' = 'disabled';

  /**
   * Longest lifetime (exp − iat, and exp − now) a token may have to be accepted; the local issuer and
   * `npm run token` refuse to mint longer ones. A socket lives as long as its token, so this bounds it too.
   */
  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(7 * 24 * 3600)
  AUTH_TOKEN_MAX_LIFETIME_SECONDS = DEFAULT_TOKEN_MAX_LIFETIME_SECONDS;

  /**
   * The OIDC provider's issuer URL as the browser reaches it (its discovery document is under
   * `/.well-known/openid-configuration`), for the console's sign-in. Set with AUTH_OIDC_CLIENT_ID.
   */
  @ValidateIf(oidcClientConfigured)
  @IsDefined({ message: 'AUTH_OIDC_AUTHORITY must be set with AUTH_OIDC_CLIENT_ID' })
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  AUTH_OIDC_AUTHORITY?: string;

  /** The console's client id at the provider (a public client: code flow with PKCE, no secret). */
  @ValidateIf(oidcClientConfigured)
  @IsDefined({ message: 'AUTH_OIDC_CLIENT_ID must be set with AUTH_OIDC_AUTHORITY' })
  @Matches(/^[\x21-\x7e]{1,255}$/, { message: 'AUTH_OIDC_CLIENT_ID must be 1–255 visible ASCII characters' })
  AUTH_OIDC_CLIENT_ID?: string;

  /** Scopes the console asks for; `openid` is required. */
  @Matches(/^([\x21\x23-\x5b\x5d-\x7e]+ )*[\x21\x23-\x5b\x5d-\x7e]+$/, {
    message: 'AUTH_OIDC_SCOPE must be scopes separated by single spaces',
  })
  @Matches(/(^| )openid( |$)/, { message: 'AUTH_OIDC_SCOPE must include openid' })
  AUTH_OIDC_SCOPE = 'openid profile';

  @IsString()
  @MinLength(1)
  AUTH_ISSUER = 'countylink-local';

  @IsString()
  @MinLength(1)
  AUTH_AUDIENCE = 'countylink';

  @IsString()
  @MinLength(1)
  AUTH_LOCAL_KEYS_DIR = '.data/issuer';

  /** How often timers (escalations) are looked for; they are rows in PostgreSQL, so this is only latency. */
  @Transform(toInt)
  @IsInt()
  @Min(50)
  TIMER_POLL_MS = 1000;

  /** Fallback poll of the outbox when no NOTIFY arrives. */
  @Transform(toInt)
  @IsInt()
  @Min(50)
  OUTBOX_POLL_MS = 2000;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  CONSUMER_MAX_ATTEMPTS = 5;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @Transform(toBool)
  @IsBoolean()
  LOG_PRETTY = false;

  /** Logs go to this file (appended) instead of stdout; the e2e run keeps every app's there. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  LOG_FILE?: string;

  /** Largest JSON body accepted, in bytes. */
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  JSON_BODY_LIMIT = 256 * 1024;
}
