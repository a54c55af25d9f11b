import { ValidateBy, ValidationOptions } from 'class-validator';

/** The settings the rules below read (PlatformConfig has them all). */
interface AuthSettings {
  NODE_ENV: string;
  AUTH_JWKS_URL?: string;
  AUTH_LOCAL_ISSUER: 'enabled' | 'disabled';
  AUTH_OIDC_AUTHORITY?: string;
  AUTH_OIDC_CLIENT_ID?: string;
}

/** Either of the console's OIDC client settings is set (then both are needed, and AUTH_JWKS_URL). */
export function oidcClientConfigured(c: AuthSettings): boolean {
  return c.AUTH_OIDC_AUTHORITY !== undefined || c.AUTH_OIDC_CLIENT_ID !== undefined;
}

/**
 * Tokens are checked against a provider's JWKS unless the local issuer is switched on explicitly
 * (the embedded default, the tests): a service started with neither stops instead of minting its own.
 */
export function needsJwksUrl(c: AuthSettings): boolean {
  return c.AUTH_JWKS_URL !== undefined || oidcClientConfigured(c) || c.AUTH_LOCAL_ISSUER !== 'enabled';
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

export const JWKS_URL_RULE =
  'AUTH_JWKS_URL must be an https:// URL: over http the keys that decide who is signed in could be swapped on the way (only NODE_ENV=test may use http:// on 127.0.0.1 / localhost)';

/** https://, or http:// to this machine in a test (a mock provider in the test's own process). */
export function isAllowedJwksUrl(value: unknown, nodeEnv: string): boolean {
  if (typeof value !== 'string') return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.protocol === 'https:') return true;
  return (
    url.protocol === 'http:' &&
    nodeEnv === 'test' &&
    (LOOPBACK.has(url.hostname) || /^127\.\d+\.\d+\.\d+$/.test(url.hostname))
  );
}

export function jwksUrlAllowed(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'jwksUrlAllowed',
      validator: { validate: (value, args) => isAllowedJwksUrl(value, (args?.object as AuthSettings).NODE_ENV) },
    },
    options,
  );
}

/** AUTH_LOCAL_ISSUER=enabled and a provider's JWKS at once would leave it unclear whose tokens count. */
export function localIssuerAlone(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'localIssuerAlone',
      validator: {
        validate: (value, args) => !(value === 'enabled' && (args?.object as AuthSettings).AUTH_JWKS_URL !== undefined),
      },
    },
    options,
  );
}
