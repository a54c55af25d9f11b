import { UserManager } from 'oidc-client-ts';

/**
 * The page of the silent renewal's iframe (`/auth/silent-callback.html`): it only hands the
 * provider's answer in its URL to the console window, which made the request and keeps its state and
 * PKCE verifier; none of these settings is used to do that.
 */
void new UserManager({
  authority: window.location.origin,
  client_id: 'silent-callback',
  redirect_uri: window.location.href,
})
  .signinSilentCallback()
  .catch(() => undefined);
