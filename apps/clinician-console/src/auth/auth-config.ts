import { useQuery } from '@tanstack/react-query';
import { api, ApiError } from '../api/http';

export interface OidcConfig {
  mode: 'oidc';
  /** The provider's issuer URL; its discovery document is under `/.well-known/openid-configuration`. */
  authority: string;
  clientId: string;
  scope: string;
}

/**
 * How this backbone signs people in (`GET /api/auth/config`): its local issuer's demo logins, the
 * group's OIDC provider, or a provider whose console client the operator has not configured yet.
 */
export type AuthConfig = { mode: 'local' } | OidcConfig | { mode: 'unconfigured'; message: string };

async function fetchAuthConfig(): Promise<AuthConfig> {
  try {
    return await api<AuthConfig>('/api/auth/config', { anonymous: true });
  } catch (err) {
    if (err instanceof ApiError && err.code === 'AUTH_OIDC_NOT_CONFIGURED')
      return { mode: 'unconfigured', message: err.message };
    // A backbone from before this route: the demo logins, which say for themselves whether they exist.
    if (err instanceof ApiError && err.status === 404) return { mode: 'local' };
    throw err;
  }
}

export function useAuthConfig() {
  return useQuery({
    queryKey: ['auth-config'],
    queryFn: fetchAuthConfig,
    staleTime: Infinity,
    gcTime: Infinity,
    retry: 2,
  });
}
