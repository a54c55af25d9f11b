import { useEffect, useRef } from 'react';
import { existingOidcClient } from './oidc-client';
import { endAtProvider, refusedByProvider, RENEWAL_RETRY_MS, renewalDelay } from './oidc-renewal';
import { tokenExpiry } from './oidc-session';
import { useSession } from './session-context';

/**
 * Keeps a session from the OIDC provider alive: before the access token expires it is renewed
 * silently (refresh token when the provider gave one, else a hidden prompt=none round trip through
 * `/auth/silent-callback.html`), and every HTTP call and socket reconnect after that uses the new
 * one. The provider refusing ends the session at once; a session not renewed in time ends at expiry.
 */
export function OidcSessionKeeper(): null {
  const { session, endedBecause, signIn, signOut } = useSession();
  const hadSession = useRef(false);

  useEffect(() => {
    const client = existingOidcClient();
    if (!client) return;
    if (!session?.oidc) {
      if (hadSession.current && !session)
        void endAtProvider(client, endedBecause === 'signed-out').catch(() => undefined);
      hadSession.current = false;
      return;
    }
    hadSession.current = true;
    let stopped = false;
    let timer = 0;
    const renew = async () => {
      try {
        const user = await client.signinSilent();
        if (!user) throw new Error('silent renewal gave no user');
        if (!stopped) signIn({ ...session, token: user.access_token, expiresAt: tokenExpiry(user) });
      } catch (err) {
        if (stopped) return;
        if (refusedByProvider(err)) signOut('expired');
        else timer = window.setTimeout(renew, RENEWAL_RETRY_MS);
      }
    };
    timer = window.setTimeout(renew, renewalDelay(session.expiresAt));
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [session, endedBecause, signIn, signOut]);
  return null;
}
