import type { UserManager } from 'oidc-client-ts';
import { providerError } from './oidc-client';

/** Renewal starts a minute before expiry, or at half the lifetime of a token that lives under two minutes. */
export function renewalDelay(expiresAt: number, now = Date.now()): number {
  const lifetime = Math.max(0, expiresAt - now);
  return lifetime - Math.min(60_000, lifetime / 2);
}

/** A failed renewal (network, timeout) is tried again this often until the token expires. */
export const RENEWAL_RETRY_MS = 5_000;

/**
 * The provider itself refused (its session ended, the grant was revoked, the user must sign in
 * again): asking again will not help, so the console goes back to sign-in at once.
 */
export function refusedByProvider(err: unknown): boolean {
  return providerError(err);
}

/**
 * After the console's session ends: the tokens leave memory; when the doctor chose 退出 and the
 * provider supports it, the provider's session ends too (a shared workstation must not sign the
 * next person in as them), coming back to /login.
 */
export async function endAtProvider(client: UserManager, signedOut: boolean): Promise<void> {
  const user = await client.getUser();
  if (signedOut && user) {
    const endpoint = await client.metadataService.getEndSessionEndpoint().catch(() => undefined);
    if (endpoint) return client.signoutRedirect({ id_token_hint: user.id_token });
  }
  await client.removeUser();
}
