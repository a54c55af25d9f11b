import { ClassConstructor, plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync, ValidationError } from 'class-validator';
import { KafkaClientConfig, SECRET_SETTINGS } from './kafka-client-config';
import { PlatformConfig } from './platform-config';
import { UnparsedSetting } from './settings';

export class InvalidConfigError extends Error {}

/** A setting named like a secret (KAFKA_SASL_PASSWORD, IDENTITY_HASH_KEY, a future *_SECRET…) is never repeated. */
const SECRET_NAME = /_(PASSWORD|KEY|SECRET|TOKEN)$/;

export function isSecretSetting(property: string): boolean {
  return SECRET_SETTINGS.has(property) || SECRET_NAME.test(property);
}

/**
 * The password part of a URL's user info (`scheme://user:password@host…`), or all of the user info
 * when it has no colon (a token). It runs to the last `@`, so a password with `@` (or `/`, `:`) in it
 * is taken whole.
 */
function urlCredentials(value: string): string | undefined {
  const start = value.indexOf('://');
  const at = value.lastIndexOf('@');
  if (start < 0 || at < start) return undefined;
  const userInfo = value.slice(start + 3, at);
  const colon = userInfo.indexOf(':');
  return colon > 0 && !/[/?#\s]/.test(userInfo.slice(0, colon)) ? userInfo.slice(colon + 1) : userInfo;
}

/** `scheme://user:password@host…` → `scheme://user:***@host…`. */
export function maskUrlCredentials(value: string): string {
  const credentials = urlCredentials(value);
  if (!credentials) return value;
  const at = value.lastIndexOf('@');
  return `${value.slice(0, at - credentials.length)}***${value.slice(at)}`;
}

/** A setting's value as a validation error may show it: a secret not at all, a URL's password masked. */
function shown(property: string, value: unknown): string {
  if (isSecretSetting(property)) return value === undefined ? 'undefined' : '"[redacted]"';
  const given = value instanceof UnparsedSetting ? value.raw : value;
  return JSON.stringify(typeof given === 'string' ? maskUrlCredentials(given) : given) ?? 'undefined';
}

/** A constraint's message, with the value as `shown` (a parser's or a custom message may quote it). */
function scrubbed(property: string, value: unknown, message: string): string {
  const raw = value instanceof UnparsedSetting ? value.raw : value;
  if (typeof raw !== 'string' || raw === '') return message;
  return message.split(raw).join(isSecretSetting(property) ? '[redacted]' : maskUrlCredentials(raw));
}

function describe(errors: ValidationError[]): string {
  return errors
    .map(
      (e) =>
        `  ${e.property}=${shown(e.property, e.value)}: ${Object.values(e.constraints ?? {})
          .map((m) => scrubbed(e.property, e.value, m))
          .join('; ')}`,
    )
    .join('\n');
}

/** The settings of a config class: every validated property (with a default or not), inherited ones too. */
function settingNames(type: ClassConstructor<object>): string[] {
  const validated = getMetadataStorage()
    .getTargetValidationMetadatas(type, '', true, false)
    .map((m) => m.propertyName);
  return [...new Set([...Object.keys(new type()), ...validated])];
}

/** The environment each config was read from, so an app's own config is read from the same one. */
const sources = new WeakMap<object, Readonly<NodeJS.ProcessEnv>>();

/**
 * Reads the settings of `type` from the environment and validates them; throws naming every bad
 * variable (never a secret's value). Unset and empty variables take the class's default.
 */
export function loadSettings<T extends object>(type: ClassConstructor<T>, env: NodeJS.ProcessEnv = process.env): T {
  const raw: Record<string, string> = {};
  for (const key of settingNames(type)) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const config = plainToInstance(type, raw, { exposeDefaultValues: true });
  const errors = validateSync(config, { skipMissingProperties: false });
  if (errors.length > 0) {
    throw new InvalidConfigError(`Invalid environment:\n${describe(errors)}`);
  }
  sources.set(config, Object.freeze({ ...env }));
  return config;
}

/** The environment a config was loaded from (process.env for a config made by hand). */
export function environmentOf(config: object): Readonly<NodeJS.ProcessEnv> {
  return sources.get(config) ?? process.env;
}

/** Reads and validates the platform's settings once; an app's own are read by its module (see appConfigProvider). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): PlatformConfig {
  return loadSettings(PlatformConfig, env);
}

/** Only the Kafka client's TLS and SASL settings, for tools without a database (the HIS simulator). */
export function loadKafkaClientConfig(env: NodeJS.ProcessEnv = process.env): KafkaClientConfig {
  return loadSettings(KafkaClientConfig, env);
}
