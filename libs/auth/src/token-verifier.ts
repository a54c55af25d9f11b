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

/** Checks signature (JWKS), issuer, audience and expiry, then reads CountyLink's claims. */
export class TokenVerifier {
  private readonly keys: JWTVerifyGetKey;

  constructor(private readonly options: TokenVerifierOptions) {
    if (options.jwksUrl) this.keys = createRemoteJWKSet(new URL(options.jwksUrl));
    else if (options.localJwks) this.keys = createLocalJWKSet(options.localJwks as Parameters<typeof createLocalJWKSet>[0]);
    else throw new Error('TokenVerifier needs a JWKS URL or a local JWKS');
  }

  async verify(token: string): Promise<Principal> {
    try {
      const { payload } = await jwtVerify(token, this.keys, {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: ['ES256', 'RS256', 'EdDSA', 'PS256'],
        clockTolerance: 30,
      });
      return principalFrom(payload);
    } catch (err) {
      if (err instanceof InvalidTokenError) throw err;
      const code = (err as { code?: string }).code ?? 'ERR_JWT_INVALID';
      throw new InvalidTokenError(code === 'ERR_JWT_EXPIRED' ? 'token has expired' : `token is not valid (${code})`);
    }
  }
}
