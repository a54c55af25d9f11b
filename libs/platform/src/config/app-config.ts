import { Transform } from 'class-transformer';
import { IsBoolean, IsDefined, IsIn, IsInt, IsNumber, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength, ValidateIf } from 'class-validator';
import { jwksUrlAllowed, JWKS_URL_RULE, localIssuerAlone, needsJwksUrl, oidcClientConfigured } from './auth-rules';
import { KafkaClientConfig } from './kafka-client-config';

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
const toNumber = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
const toBool = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : value === true || value === 'true' || value === '1';

// A calling AE title, the addresses it may call from, and its institution (see DICOM_DIMSE_AE_MAP).
const AE_ADDRESS = String.raw`(\*|[0-9A-Fa-f:.]+(\/\d{1,3})?)`;
const AE_ENTRY = String.raw`[A-Za-z0-9_.-]{1,16}@${AE_ADDRESS}(\|${AE_ADDRESS})*=[a-z0-9][a-z0-9-]{0,62}`;
const AE_MAP = new RegExp(`^$|^${AE_ENTRY}(,${AE_ENTRY})*$`);


/** A working day and a half: a console session lasts a shift (the demo sign-in mints this long). */
export const DEFAULT_TOKEN_MAX_LIFETIME_SECONDS = 12 * 3600;

/**
 * The whole environment of a CountyLink process, validated once at start (see `loadConfig`).
 * A missing or malformed value stops the process with a message naming the variable.
 * The Kafka client's TLS and SASL settings come from KafkaClientConfig.
 */
export class AppConfig extends KafkaClientConfig {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(toInt) @IsInt() @Min(0) @Max(65535)
  PORT = 3000;

  /** postgres://user:pass@host:port/db — the standalone app starts an embedded server when unset. */
  @IsString() @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL: string;

  /** Comma-separated host:port list. Unset: events are delivered in process (embedded default). */
  @IsOptional() @Matches(/^[^,\s]+:\d+(,[^,\s]+:\d+)*$/, { message: 'KAFKA_BROKERS must be host:port[,host:port…]' })
  KAFKA_BROKERS?: string;

  @IsString() @MinLength(1)
  KAFKA_CLIENT_ID = 'countylink';

  /** Consumer group session timeout; a member that stops heartbeating is dropped after it. */
  @Transform(toInt) @IsInt() @Min(3500)
  KAFKA_SESSION_TIMEOUT_MS = 10_000;

  /** Prefix of consumer group ids, so several deployments can share a cluster. */
  @IsString() @Matches(/^[\w.-]+$/)
  KAFKA_GROUP_PREFIX = 'countylink';

  /**
   * Longest a consumer's fetch waits for data. Apache Kafka answers as soon as data arrives, so this
   * only bounds idle polling: at 100 ms, an instance's ten or so consumer groups sent a hundred
   * empty fetches a second, and kafkajs was a tenth of a booking instance's CPU. A consumer notices
   * a rebalance when its fetch returns, so this stays well under the session timeout.
   */
  @Transform(toInt) @IsInt() @Min(1) @Max(10_000)
  KAFKA_FETCH_MAX_WAIT_MS = 500;

  /**
   * Partitions one consumer works on at once; each partition (so each aggregate) stays in order.
   * kafkajs fetches a broker's partitions together and fetches again only when every batch of the
   * last fetch is handled, so with 1 an event waits for the other partitions' batches before it.
   */
  @Transform(toInt) @IsInt() @Min(1) @Max(64)
  KAFKA_PARTITIONS_CONSUMED_CONCURRENTLY = 4;

  /** A directory seed (institutions, departments, people, township catalog) applied at start. */
  @IsOptional() @IsString()
  DIRECTORY_SEED_FILE?: string;

  /**
   * JWKS of the group's OIDC provider: required, except for the embedded default's local issuer
   * (AUTH_LOCAL_ISSUER=enabled). An https:// URL — over http the keys that decide who is signed in
   * could be swapped on the way; only a test (NODE_ENV=test) may fetch them from its own machine.
   */
  @ValidateIf(needsJwksUrl)
  @IsDefined({
    message: ({ object }) => (oidcClientConfigured(object as AppConfig)
      ? 'AUTH_JWKS_URL must be set with AUTH_OIDC_AUTHORITY / AUTH_OIDC_CLIENT_ID (the provider\'s JWKS verifies its tokens)'
      : 'AUTH_JWKS_URL must be set to the JWKS of the group\'s OIDC provider: a service verifies tokens against it (only the embedded default, `npm start`, runs a local issuer)'),
  })
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  @jwksUrlAllowed({ message: JWKS_URL_RULE })
  AUTH_JWKS_URL?: string;

  /**
   * The local token issuer (keys in AUTH_LOCAL_KEYS_DIR, demo sign-in): set by the embedded default
   * when it has no AUTH_JWKS_URL, and by the test harness. Never together with AUTH_JWKS_URL.
   */
  @IsIn(['enabled', 'disabled'])
  @localIssuerAlone({ message: 'AUTH_LOCAL_ISSUER=enabled cannot be combined with AUTH_JWKS_URL: tokens come from the provider or from the local issuer, not both' })
  AUTH_LOCAL_ISSUER: 'enabled' | 'disabled' = 'disabled';

  /**
   * Longest lifetime (exp − iat, and exp − now) a token may have to be accepted; the local issuer and
   * `npm run token` refuse to mint longer ones. A socket lives as long as its token, so this bounds it too.
   */
  @Transform(toInt) @IsInt() @Min(60) @Max(7 * 24 * 3600)
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
  @Matches(/^([\x21\x23-\x5b\x5d-\x7e]+ )*[\x21\x23-\x5b\x5d-\x7e]+$/, { message: 'AUTH_OIDC_SCOPE must be scopes separated by single spaces' })
  @Matches(/(^| )openid( |$)/, { message: 'AUTH_OIDC_SCOPE must include openid' })
  AUTH_OIDC_SCOPE = 'openid profile';

  @IsString() @MinLength(1)
  AUTH_ISSUER = 'countylink-local';

  @IsString() @MinLength(1)
  AUTH_AUDIENCE = 'countylink';

  @IsString() @MinLength(1)
  AUTH_LOCAL_KEYS_DIR = '.data/issuer';

  /** Key of the HMAC that replaces identity numbers (身份证号) in events and indexes. */
  @IsString() @MinLength(16, { message: 'IDENTITY_HASH_KEY must be at least 16 characters' })
  IDENTITY_HASH_KEY: string;

  /** Minutes the receiving side has to answer a referral, per urgency. */
  @Transform(toInt) @IsInt() @Min(1)
  REFERRAL_RESPONSE_MINUTES_ROUTINE = 24 * 60;

  @Transform(toInt) @IsInt() @Min(1)
  REFERRAL_RESPONSE_MINUTES_URGENT = 120;

  @Transform(toInt) @IsInt() @Min(1)
  REFERRAL_RESPONSE_MINUTES_EMERGENCY = 10;

  /** Minutes between escalation steps once a referral is overdue. */
  @Transform(toInt) @IsInt() @Min(1)
  REFERRAL_ESCALATION_REPEAT_MINUTES = 10;

  @Transform(toInt) @IsInt() @Min(1) @Max(10)
  REFERRAL_ESCALATION_MAX_LEVEL = 3;

  /** Seconds the first step of a green-channel alert (the on-duty doctor) has to acknowledge it. */
  @Transform(toInt) @IsInt() @Min(1)
  ALERT_ACK_SECONDS_GREEN_CHANNEL = 180;

  /** Seconds the first step of a critical-value (危急值) alert has to acknowledge it. */
  @Transform(toInt) @IsInt() @Min(1)
  ALERT_ACK_SECONDS_CRITICAL_VALUE = 600;

  /** Seconds each later step of the ladder (department head, coordinator) has before the next one. */
  @Transform(toInt) @IsInt() @Min(1)
  ALERT_ESCALATION_STEP_SECONDS = 300;

  /** At most this many missed notifications are replayed on a socket reconnect; the rest over HTTP. */
  @Transform(toInt) @IsInt() @Min(1) @Max(10_000)
  REALTIME_RESUME_LIMIT = 200;

  /** How often timers (escalations) are looked for; they are rows in PostgreSQL, so this is only latency. */
  @Transform(toInt) @IsInt() @Min(50)
  TIMER_POLL_MS = 1000;

  /** Fallback poll of the outbox when no NOTIFY arrives. */
  @Transform(toInt) @IsInt() @Min(50)
  OUTBOX_POLL_MS = 2000;

  @Transform(toInt) @IsInt() @Min(1)
  CONSUMER_MAX_ATTEMPTS = 5;

  /** The group's reserve policy floor (预留号源比例): no schedule may reserve a smaller share. At least 0.2. */
  @Transform(toNumber) @IsNumber({ maxDecimalPlaces: 4 }) @Min(0.2) @Max(1)
  SCHEDULING_RESERVED_SHARE_FLOOR = 0.2;

  /** General places of a schedule open this many days before its start. */
  @Transform(toInt) @IsInt() @Min(0) @Max(365)
  SCHEDULING_GENERAL_OPENS_DAYS = 7;

  /** Reserved places open this many days earlier than general places. */
  @Transform(toInt) @IsInt() @Min(0) @Max(365)
  SCHEDULING_RESERVED_EARLIER_DAYS = 7;

  /** Reserved places still free this many minutes before the start go back to the general pool. */
  @Transform(toInt) @IsInt() @Min(0)
  SCHEDULING_RELEASE_LEAD_MINUTES = 24 * 60;

  /** Schedules (weekly templates) published at start; the embedded default uses the demo file. */
  @IsOptional() @IsString()
  SCHEDULE_SEED_FILE?: string;

  /** Report templates (报告模板) a group without any starts with; the embedded default uses the demo file. */
  @IsOptional() @IsString()
  REPORT_TEMPLATE_SEED_FILE?: string;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @Transform(toBool) @IsBoolean()
  LOG_PRETTY = false;

  /** Logs go to this file (appended) instead of stdout; the e2e run keeps every app's there. */
  @IsOptional() @IsString() @MinLength(1)
  LOG_FILE?: string;

  /** Where DICOM instances are stored, once each, by content hash (with a tmp/ for uploads in flight). */
  @IsString() @MinLength(1)
  DICOM_STORAGE_DIR = '.data/dicom';

  /** Largest single instance (one multipart part) accepted by STOW-RS; beyond it the request is a 413. */
  @Transform(toInt) @IsInt() @Min(1024)
  DICOM_MAX_INSTANCE_BYTES = 256 * 1024 * 1024;

  /** Largest STOW-RS request body, all parts together. */
  @Transform(toInt) @IsInt() @Min(1024)
  DICOM_MAX_REQUEST_BYTES = 1024 * 1024 * 1024;

  /** How much of an instance may be parsed as header (all of it for objects without pixel data, e.g. an ECG). */
  @Transform(toInt) @IsInt() @Min(64 * 1024)
  DICOM_MAX_HEADER_BYTES = 64 * 1024 * 1024;

  /** Parts (instances) one STOW-RS request may carry; past it the request is a 413 before another part is staged. */
  @Transform(toInt) @IsInt() @Min(1)
  DICOM_MAX_PARTS_PER_REQUEST = 1000;

  /** STOW-RS requests one principal may have in flight at once; more are a 429 (one client cannot fill the ingest). */
  @Transform(toInt) @IsInt() @Min(1)
  DICOM_MAX_CONCURRENT_UPLOADS = 4;

  /** Largest frame (rows × columns × samples) accepted or decoded; a header claiming more is refused before any allocation. */
  @Transform(toInt) @IsInt() @Min(1024)
  DICOM_MAX_FRAME_PIXELS = 40_000_000;

  /** Worker threads that parse, check and render DICOM off the event loop. */
  @Transform(toInt) @IsInt() @Min(1) @Max(64)
  DICOM_WORKER_THREADS = 2;

  /** Longest one parse or render may take in a worker; past it the worker is ended and the file refused. */
  @Transform(toInt) @IsInt() @Min(100)
  DICOM_WORKER_TIMEOUT_MS = 15_000;

  /** TCP port of the DICOM DIMSE listener (C-STORE, C-ECHO, worklist C-FIND) for modalities; 0 picks a free port. */
  @Transform(toInt) @IsInt() @Min(0) @Max(65535)
  DICOM_DIMSE_PORT = 11112;

  /** CountyLink's own AE title: the called AE title modalities must address. */
  @IsString() @Matches(/^[A-Za-z0-9_.-]{1,16}$/, { message: 'DICOM_DIMSE_AE_TITLE must be 1–16 letters, digits, _ . or -' })
  DICOM_DIMSE_AE_TITLE = 'COUNTYLINK';

  /**
   * Which modality may associate, from where, for which institution:
   * `AE@address[|address…]=institution,…` (an address is an IP, a CIDR block or `*`). Empty: none may.
   */
  @IsString() @Matches(AE_MAP, {
    message: 'DICOM_DIMSE_AE_MAP must look like TOWNSHIP_A_DR@10.1.0.0/16|127.0.0.1=township-a,TOWNSHIP_B_ECG@*=township-b',
  })
  DICOM_DIMSE_AE_MAP = '';

  /** Associations open at once over all modalities; past it a connection is closed before it costs anything. */
  @Transform(toInt) @IsInt() @Min(1)
  DICOM_DIMSE_MAX_ASSOCIATIONS = 64;

  /** The institution whose specialists read township studies (the lead hospital of the group). */
  @IsString() @Matches(/^[a-z0-9][a-z0-9-]{0,62}$/)
  READ_INSTITUTION_ID = 'county-hospital';

  /** Reading department by modality (`*` for the rest); a read order may name another. */
  @IsString() @Matches(/^(\*|[A-Z0-9]{1,16})=[a-z0-9][a-z0-9-]{0,62}(,(\*|[A-Z0-9]{1,16})=[a-z0-9][a-z0-9-]{0,62})*$/, {
    message: 'READ_DEPARTMENTS must look like ECG=ecg-room,DX=radiology,*=radiology',
  })
  READ_DEPARTMENTS = 'ECG=ecg-room,DX=radiology,CR=radiology,*=radiology';

  /** Minutes to report a read, by modality (`*` for the rest): emergency/urgent/routine. */
  @IsString() @Matches(/^(\*|[A-Z0-9]{1,16})=\d+\/\d+\/\d+(,(\*|[A-Z0-9]{1,16})=\d+\/\d+\/\d+)*$/, {
    message: 'READ_DEADLINE_MINUTES must look like ECG=15/20/30,DX=30/60/120,*=60/240/1440 (emergency/urgent/routine)',
  })
  READ_DEADLINE_MINUTES = 'ECG=15/20/30,DX=30/60/120,CR=30/60/120,*=60/240/1440';

  /** Minutes a specialist's claim on a read lasts without a report before it returns to the worklist. */
  @Transform(toInt) @IsInt() @Min(1)
  READ_CLAIM_MINUTES = 30;

  /** 结果互认: days a completed referral still shares the sender's results of the patient with the receiver. */
  @Transform(toInt) @IsInt() @Min(0) @Max(3650)
  REFERRAL_SHARE_DAYS_AFTER_COMPLETION = 30;

  /** Largest JSON body accepted, in bytes. */
  @Transform(toInt) @IsInt() @Min(1024)
  JSON_BODY_LIMIT = 256 * 1024;
}
