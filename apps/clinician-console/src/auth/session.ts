/** Who is signed in on this tab. */
export interface Session {
  token: string;
  login: string;
  name: string;
  roles: string[];
  institutionId: string;
  institutionName: string;
  departmentId: string | null;
  departmentName: string | null;
  /** Epoch ms; a session past it is not restored. */
  expiresAt: number;
  /** Signed in at the group's OIDC provider: renewed before `expiresAt`, and never stored. */
  oidc?: boolean;
}

/**
 * sessionStorage: a reload keeps the doctor signed in, closing the tab signs them out, and another
 * tab signs in on its own (the token never reaches localStorage or a cookie). A session from the
 * OIDC provider stays in memory only: a reload signs in at the provider again.
 */
const KEY = 'countylink.session';

export function loadSession(): Session | null {
  try {
    const session = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as Session | null;
    return session && session.expiresAt > Date.now() + 60_000 ? session : null;
  } catch {
    return null;
  }
}

export function saveSession(session: Session | null): void {
  if (session && !session.oidc) sessionStorage.setItem(KEY, JSON.stringify(session));
  else sessionStorage.removeItem(KEY);
}

export function hasRole(session: Session | null, roles: readonly string[]): boolean {
  return !!session && session.roles.some((r) => roles.includes(r));
}
