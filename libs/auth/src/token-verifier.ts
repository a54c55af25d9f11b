import {
  createLocalJWKSet,
  createRemoteJWKSet,
  JWTHeaderParameters,
  JWTPayload,
  jwtVerify,
  JWTVerifyGetKey,
} from 'jose';
import { ALL_ROLES, Principal, Role } from './roles';

export class InvalidTokenError extends Error {}

export interface TokenVerifierOptions {
  issuer: string;
  audience: string;
  jwksUrl?: string;
  /** A JWKS document, for the local issuer of the embedded default. */
  localJwks?: { keys: object[] };
  /** Longest lifetime (exp − iat, and exp − now) accepted; longer-lived tokens are refused. */
  maxLifetimeSeconds: number;
}

/** A verified access token: who it speaks for and when it stops doing so. */
export interface VerifiedToken {
  principal: Principal;
  /** The token's `exp`: a socket authenticated with it is closed then. */
  expiresAt: Date;
}

/** Seconds of clock difference with the issuer that are forgiven (exp, iat). */
export const CLOCK_TOLERANCE_SECONDS = 30;

/** Header `typ` values of an access token: none, plain JWT, or RFC 9068's at+jwt. */
const ACCESS_TOKEN_TYPES = new Set(['jwt', 'at+jwt', 'application/at+jwt']);

function principalFrom(payload: JWTPayload): Principal {
  const { sub, roles, institutionId, departmentId } = payload as JWTPayload & Record<string, unknown>;
  if (typeof sub !== 'string' || sub.length === 0) throw new InvalidTokenError('token has no subject');
  if (typeof institutionId !== 'string' || institutionId.length === 0)
    throw new InvalidTokenError('token has no institutionId');
  if (!Array.isArray(roles) || roles.length === 0) throw new InvalidTokenError('token has no roles');
  const known = roles.filter((r): r is Role => typeof r === 'string' && ALL_ROLES.includes(r));
  if (known.length === 0) throw new InvalidTokenError('token has no known role');
  if (departmentId !== undefined && typeof departmentId !== 'string')
    throw new InvalidTokenError('departmentId must be a string');
  return { sub, roles: known, institutionId, departmentId };
}

/**
 * Only access tokens: an ID token or a refresh token of the same provider (signed with the same keys)
 * says who someone is to the console, not what the APIs may give them. Keycloak marks its tokens with
 * a `typ` claim (Bearer, ID, Refresh); RFC 9068 providers with the header `typ: at+jwt`.
 */
function assertAccessToken(header: JWTHeaderParameters, payload: JWTPayload): void {
  if (header.typ !== undefined && !ACCESS_TOKEN_TYPES.has(header.typ.toLowerCase())) {
    throw new InvalidTokenError(`token is not an access token (typ ${header.typ.slice(0, 40)})`);
  }
  const claimed = (payload as Record<string, unknown>).typ;
  if (claimed !== undefined && (typeof claimed !== 'string' || claimed.toLowerCase() !== 'bearer')) {
    throw new InvalidTokenError(`token is not an access token (typ claim ${String(claimed).slice(0, 40)})`);
  }
}

/** A token that lives longer than allowed (or claims to be issued later than now) is refused outright. */
function assertLifetime(payload: JWTPayload, maxSeconds: number, now: number): void {
  const exp = payload.exp!;
  if (payload.iat !== undefined) {
    if (payload.iat > now + CLOCK_TOLERANCE_SECONDS) throw new InvalidTokenError('token is issued in the future');
    if (exp - payload.iat > maxSeconds)
      throw new InvalidTokenError(`token lives longer than the ${maxSeconds} s allowed`);
  }
  if (exp - now > maxSeconds + CLOCK_TOLERANCE_SECONDS)
    throw new InvalidTokenError(`token lives longer than the ${maxSeconds} s allowed`);
}

/** Tokens remembered as verified; a console sends the same one with every request for its lifetime. */
const VERIFIED_CACHE_SIZE = 5_000;

/**
 * Checks signature (JWKS), issuer, audience, an `exp` (required) and the token's type and lifetime,
 * then reads CountyLink's claims. A token that passed is remembered until its `exp`, so the same
 * token on the next request costs a map lookup, not a signature check (tokens are not revocable
 * before `exp` anyway; a refused token is never remembered).
 */
export class TokenVerifier {
  private readonly keys: JWTVerifyGetKey;
  private readonly verified = new Map<string, VerifiedToken>();

  constructor(private readonly options: TokenVerifierOptions) {
    if (options.jwksUrl) this.keys = createRemoteJWKSet(new URL(options.jwksUrl));
    else if (options.localJwks)
      this.keys = createLocalJWKSet(options.localJwks as Parameters<typeof createLocalJWKSet>[0]);
    else throw new Error('TokenVerifier needs a JWKS URL or a local JWKS');
  }

  async verify(token: string): Promise<Principal> {
    return (await this.verifyToken(token)).principal;
  }

  async verifyToken(token: string): Promise<VerifiedToken> {
    const known = this.verified.get(token);
    if (known && known.expiresAt.getTime() > Date.now()) return known;
    if (known) this.verified.delete(token);
    const result = await this.check(token);
    if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, result);
    return result;
  }

  private async check(token: string): Promise<VerifiedToken> {
    let verified: Awaited<ReturnType<typeof jwtVerify>>;
    try {
      verified = await jwtVerify(token, this.keys, {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: ['ES256', 'RS256', 'EdDSA', 'PS256'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['exp'],
      });
    } catch (err) {
      const { code, claim, reason } = err as { code?: string; claim?: string; reason?: string };
      if (code === 'ERR_JWT_EXPIRED') throw new InvalidTokenError('token has expired');
      if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && claim === 'exp') {
        throw new InvalidTokenError(
          reason === 'missing' ? 'token has no expiry (exp is required)' : "token's exp is not a number",
        );
      }
      if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && claim === 'aud')
        throw new InvalidTokenError('token is not for this audience');
      throw new InvalidTokenError(`token is not valid (${code ?? 'ERR_JWT_INVALID'})`);
    }
    const { payload, protectedHeader } = verified;
    assertAccessToken(protectedHeader, payload);
    assertLifetime(payload, this.options.maxLifetimeSeconds, Math.floor(Date.now() / 1000));
    return { principal: principalFrom(payload), expiresAt: new Date(payload.exp! * 1000) };
  }
}
