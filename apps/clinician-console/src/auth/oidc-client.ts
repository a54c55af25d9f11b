import type { ErrorResponse, UserManager } from 'oidc-client-ts';
import type { OidcConfig } from './auth-config';

let manager: UserManager | null = null;

/**
 * The console's one OIDC client: authorization code with PKCE (S256, oidc-client-ts's default), the
 * signed-in user and its tokens kept in memory only (never sessionStorage, localStorage or a
 * cookie), and only the state of a sign-in in flight (its PKCE verifier) in this tab's sessionStorage,
 * since the redirect to the provider leaves the page. Renewal is timed by `oidc-session-keeper.tsx`.
 * The library is loaded only in OIDC mode: the demo sign-in ships without it.
 */
export async function oidcClient(config: OidcConfig): Promise<UserManager> {
  const { InMemoryWebStorage, UserManager: Manager, WebStorageStateStore } = await import('oidc-client-ts');
  manager ??= new Manager({
    authority: config.authority,
    client_id: config.clientId,
    scope: config.scope,
    response_type: 'code',
    redirect_uri: `${window.location.origin}/auth/callback`,
    silent_redirect_uri: `${window.location.origin}/auth/silent-callback.html`,
    post_logout_redirect_uri: `${window.location.origin}/login`,
    userStore: new WebStorageStateStore({ store: new InMemoryWebStorage() }),
    stateStore: new WebStorageStateStore({ store: window.sessionStorage }),
    automaticSilentRenew: false,
    silentRequestTimeoutInSeconds: 15,
    ui_locales: 'zh-CN',
  });
  return manager;
}

/** The client, once a sign-in made it (a session from the provider exists only after that). */
export function existingOidcClient(): UserManager | null {
  return manager;
}

/** The provider answered with an OAuth error (`login_required`, `invalid_grant`, `access_denied`, …). */
export function providerError(err: unknown): err is ErrorResponse {
  // oidc-client-ts's documented marker, so this check needs no import of the library.
  return err instanceof Error && err.name === 'ErrorResponse';
}
