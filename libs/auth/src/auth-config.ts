import { PlatformConfig, registerErrorCodes } from '@countylink/platform';

export enum AuthErrorCode {
  /** AUTH_JWKS_URL is set but the console's OIDC client (AUTH_OIDC_AUTHORITY, AUTH_OIDC_CLIENT_ID) is not. */
  OIDC_NOT_CONFIGURED = 'AUTH_OIDC_NOT_CONFIGURED',
}

registerErrorCodes<AuthErrorCode>('auth', {
  [AuthErrorCode.OIDC_NOT_CONFIGURED]: { status: 503, userMessage: '统一身份认证登录尚未配置，请联系系统管理员' },
});

/** How the console signs people in: the local issuer's demo logins, or the group's OIDC provider. */
export type AuthConfigAnswer =
  { mode: 'local'; issuer: string } | { mode: 'oidc'; authority: string; clientId: string; scope: string };

/**
 * What `GET /api/auth/config` answers; `missing` names the settings a provider's JWKS without the
 * console's client still needs (the APIs run on with provider tokens, but no one can sign in to the console).
 */
export function authConfigOf(config: PlatformConfig): AuthConfigAnswer | { missing: string[] } {
  if (!config.AUTH_JWKS_URL) return { mode: 'local', issuer: config.AUTH_ISSUER };
  const { AUTH_OIDC_AUTHORITY: authority, AUTH_OIDC_CLIENT_ID: clientId, AUTH_OIDC_SCOPE: scope } = config;
  if (authority && clientId) return { mode: 'oidc', authority, clientId, scope };
  return { missing: ['AUTH_OIDC_AUTHORITY', 'AUTH_OIDC_CLIENT_ID'].filter((k) => !config[k as keyof PlatformConfig]) };
}
