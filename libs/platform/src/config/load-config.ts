import { ClassConstructor, plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { AppConfig } from './app-config';
import { KAFKA_CLIENT_OPTIONAL_SETTINGS, KafkaClientConfig, SECRET_SETTINGS } from './kafka-client-config';

export class InvalidConfigError extends Error {}

/** A secret's value is never repeated; a database URL's password is masked. */
function shown(property: string, value: unknown): string {
  if (SECRET_SETTINGS.has(property)) return '"[redacted]"';
  if (property === 'DATABASE_URL' && typeof value === 'string') return JSON.stringify(value.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@'));
  return JSON.stringify(value);
}

function describe(errors: ValidationError[]): string {
  return errors
    .map((e) => `  ${e.property}=${shown(e.property, e.value)}: ${Object.values(e.constraints ?? {}).join('; ')}`)
    .join('\n');
}

/** Settings without a default, so not own keys of a fresh instance, that are still read. */
const APP_OPTIONAL_SETTINGS = ['DATABASE_URL', 'KAFKA_BROKERS', 'AUTH_JWKS_URL', 'AUTH_OIDC_AUTHORITY', 'AUTH_OIDC_CLIENT_ID', 'IDENTITY_HASH_KEY', 'DIRECTORY_SEED_FILE', 'SCHEDULE_SEED_FILE', 'REPORT_TEMPLATE_SEED_FILE', 'LOG_FILE'];

function load<T extends object>(type: ClassConstructor<T>, optional: string[], env: NodeJS.ProcessEnv): T {
  const raw: Record<string, string> = {};
  for (const key of [...Object.keys(new type()), ...optional]) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const config = plainToInstance(type, raw, { exposeDefaultValues: true });
  const errors = validateSync(config, { skipMissingProperties: false });
  if (errors.length > 0) {
    throw new InvalidConfigError(`Invalid environment:\n${describe(errors)}`);
  }
  return config;
}

/** Reads and validates the environment once; throws naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  return load(AppConfig, [...APP_OPTIONAL_SETTINGS, ...KAFKA_CLIENT_OPTIONAL_SETTINGS], env);
}

/** Only the Kafka client's TLS and SASL settings, for tools without a database (the HIS simulator). */
export function loadKafkaClientConfig(env: NodeJS.ProcessEnv = process.env): KafkaClientConfig {
  return load(KafkaClientConfig, KAFKA_CLIENT_OPTIONAL_SETTINGS, env);
}
