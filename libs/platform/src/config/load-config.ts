import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { AppConfig } from './app-config';

export class InvalidConfigError extends Error {}

function describe(errors: ValidationError[]): string {
  return errors
    .map((e) => `  ${e.property}=${JSON.stringify(e.value)}: ${Object.values(e.constraints ?? {}).join('; ')}`)
    .join('\n');
}

/** Reads and validates the environment once; throws naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const known = Object.keys(new AppConfig());
  const raw: Record<string, string> = {};
  for (const key of [...known, 'DATABASE_URL', 'KAFKA_BROKERS', 'AUTH_JWKS_URL', 'AUTH_OIDC_AUTHORITY', 'AUTH_OIDC_CLIENT_ID', 'IDENTITY_HASH_KEY', 'DIRECTORY_SEED_FILE', 'SCHEDULE_SEED_FILE', 'REPORT_TEMPLATE_SEED_FILE']) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const config = plainToInstance(AppConfig, raw, { exposeDefaultValues: true });
  const errors = validateSync(config, { skipMissingProperties: false });
  if (errors.length > 0) {
    throw new InvalidConfigError(`Invalid environment:\n${describe(errors)}`);
  }
  return config;
}
