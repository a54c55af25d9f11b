import type { User } from 'oidc-client-ts';
import { api } from '../api/http';
import type { Institution, Member } from '../api/directory.api';
import type { Session } from './session';

interface Me {
  sub: string;
  roles: string[];
  institutionId: string;
  departmentId: string | null;
}

/**
 * The console's session for a user the provider signed in: who the backbone takes the access token
 * to be (`GET /api/auth/me`, so a token without CountyLink's claims is refused here, with the
 * reason, not on the first screen), with names from the directory. Kept in memory only.
 */
export async function sessionFromUser(user: User): Promise<Session> {
  const headers = { Authorization: `Bearer ${user.access_token}` };
  // `anonymous`: no session's token yet, and a 401 here is a refused sign-in, not a lapsed session.
  const me = await api<Me>('/api/auth/me', { anonymous: true, headers });
  const [institutions, members] = await Promise.all([
    api<Institution[]>('/api/directory/institutions', { anonymous: true, headers }).catch(() => []),
    api<Member[]>(`/api/directory/members?institutionId=${encodeURIComponent(me.institutionId)}`, {
      anonymous: true,
      headers,
    }).catch(() => []),
  ]);
  const institution = institutions.find((i) => i.id === me.institutionId);
  const profileName = typeof user.profile.name === 'string' ? user.profile.name : undefined;
  return {
    token: user.access_token,
    login: me.sub,
    name: members.find((m) => m.id === me.sub)?.name ?? profileName ?? me.sub,
    roles: me.roles,
    institutionId: me.institutionId,
    institutionName: institution?.name ?? me.institutionId,
    departmentId: me.departmentId,
    departmentName: institution?.departments.find((d) => d.id === me.departmentId)?.name ?? me.departmentId,
    expiresAt: tokenExpiry(user),
    oidc: true,
  };
}

/** Epoch ms; from the token answer's `expires_in` as this browser's clock counted it (no skew). */
export function tokenExpiry(user: User): number {
  return (user.expires_at ?? Math.floor(Date.now() / 1000) + 300) * 1000;
}
