import { createLocalJWKSet, createRemoteJWKSet, JWTPayload, jwtVerify, JWTVerifyGetKey } from 'jose';
import { ALL_ROLES, Principal, Role } from './roles';

export class InvalidTokenError extends Error {}

export interface TokenVerifierOptions {
  issuer: string;
  audience: string;
  jwksUrl?: string;
  /** A JWKS document, for the local issuer of the embedded default. */
  localJwks?: { keys: object[] };
}

function principalFrom(payload: JWTPayload): Principal {
  const { sub, roles, institutionId, departmentId } = payload as JWTPayload & Record<string, unknown>;
  if (typeof sub !== 'string' || sub.length === 0) throw new InvalidTokenError('token has no subject');
  if (typeof institutionId !== 'string' || institutionId.length === 0) throw new InvalidTokenError('token has no institutionId');
  if (!Array.isArray(roles) || roles.length === 0) throw new InvalidTokenError('token has no roles');
  const known = roles.filter((r): r is Role => typeof r === 'string' && ALL_ROLES.includes(r));
  if (known.length === 0) throw new InvalidTokenError('token has no known role');
  if (departmentId !== undefined && typeof departmentId !== 'string') throw new InvalidTokenError('departmentId must be a string');
  return { sub, roles: known, institutionId, departmentId };
}

/** A verified token is trusted again without a signature check for at most this long (and never past its expiry). */
const REMEMBER_MS = 60_000;
const REMEMBERED_TOKENS = 10_000;

/**
 * Checks signature (JWKS), issuer, audience and expiry, then reads CountyLink's claims. A client
 * sends the same token with every request: the result is remembered for a minute (bounded), so a
 * busy API does not verify one signature a thousand times; a key dropped from the JWKS stops
 * being honoured within that minute.
 */
export class TokenVerifier {
  private readonly keys: JWTVerifyGetKey;
  private readonly remembered = new Map<string, { principal: Principal; until: number }>();

  constructor(private readonly options: TokenVerifierOptions) {
    if (options.jwksUrl) this.keys = createRemoteJWKSet(new URL(options.jwksUrl));
    else if (options.localJwks) this.keys = createLocalJWKSet(options.localJwks as Parameters<typeof createLocalJWKSet>[0]);
    else throw new Error('TokenVerifier needs a JWKS URL or a local JWKS');
  }

  async verify(token: string): Promise<Principal> {
    const now = Date.now();
    const known = this.remembered.get(token);
    if (known && known.until > now) return known.principal;
    if (known) this.remembered.delete(token);
    try {
      const { payload } = await jwtVerify(token, this.keys, {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: ['ES256', 'RS256', 'EdDSA', 'PS256'],
        clockTolerance: 30,
      });
      const principal = principalFrom(payload);
      this.remember(token, principal, Math.min(now + REMEMBER_MS, (payload.exp ?? 0) * 1000));
      return principal;
    } catch (err) {
      if (err instanceof InvalidTokenError) throw err;
      const code = (err as { code?: string }).code ?? 'ERR_JWT_INVALID';
      throw new InvalidTokenError(code === 'ERR_JWT_EXPIRED' ? 'token has expired' : `token is not valid (${code})`);
    }
  }

  private remember(token: string, principal: Principal, until: number): void {
    if (until <= Date.now()) return;
    if (this.remembered.size >= REMEMBERED_TOKENS) this.remembered.delete(this.remembered.keys().next().value!);
    this.remembered.set(token, { principal, until });
  }
}
