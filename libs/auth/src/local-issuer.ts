import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, JWK, SignJWT } from 'jose';
import { DEFAULT_TOKEN_MAX_LIFETIME_SECONDS } from '@countylink/platform';
import { Principal } from './roles';

const ALG = 'ES256';

interface KeyFiles {
  privateJwk: JWK;
  publicJwk: JWK;
}

export class TokenLifetimeError extends Error {}

/**
 * The embedded default's token issuer: an ES256 key pair kept in a local directory, so the
 * server and `npm run token` agree on it. A group with an OIDC provider sets AUTH_JWKS_URL instead.
 * It mints access tokens (`typ: at+jwt`) no longer-lived than the verifier accepts.
 */
export class LocalIssuer {
  private constructor(
    private readonly keys: KeyFiles,
    private readonly issuer: string,
    private readonly audience: string,
    readonly maxLifetimeSeconds: number,
  ) {}

  static async open(
    dir: string,
    issuer: string,
    audience: string,
    maxLifetimeSeconds = DEFAULT_TOKEN_MAX_LIFETIME_SECONDS,
  ): Promise<LocalIssuer> {
    const file = join(dir, 'issuer-key.json');
    let keys: KeyFiles;
    try {
      keys = JSON.parse(readFileSync(file, 'utf8')) as KeyFiles;
    } catch {
      const pair = await generateKeyPair(ALG, { extractable: true });
      const kid = `local-${Date.now().toString(36)}`;
      keys = {
        privateJwk: { ...(await exportJWK(pair.privateKey)), kid, alg: ALG, use: 'sig' },
        publicJwk: { ...(await exportJWK(pair.publicKey)), kid, alg: ALG, use: 'sig' },
      };
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      // Write, then link into place: the link fails if another process starting at the same moment
      // got there first, and then both use its key (a rename would let each keep its own, and
      // refuse the other's tokens). Nobody ever reads half a key file.
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(keys), { mode: 0o600 });
      try {
        linkSync(tmp, file);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      } finally {
        unlinkSync(tmp);
      }
      keys = JSON.parse(readFileSync(file, 'utf8')) as KeyFiles;
    }
    return new LocalIssuer(keys, issuer, audience, maxLifetimeSeconds);
  }

  jwks(): { keys: JWK[] } {
    return { keys: [this.keys.publicJwk] };
  }

  /** `ttlSeconds` ≤ 0 makes an already expired token (for tests of refusal); above the maximum is refused. */
  async mint(principal: Principal & { name?: string }, ttlSeconds = this.maxLifetimeSeconds): Promise<string> {
    if (!Number.isFinite(ttlSeconds) || ttlSeconds > this.maxLifetimeSeconds) {
      throw new TokenLifetimeError(
        `a token may live at most ${this.maxLifetimeSeconds} s (AUTH_TOKEN_MAX_LIFETIME_SECONDS), not ${ttlSeconds}`,
      );
    }
    const key = await importJWK(this.keys.privateJwk, ALG);
    const claims: Record<string, unknown> = { roles: principal.roles, institutionId: principal.institutionId };
    if (principal.departmentId) claims.departmentId = principal.departmentId;
    if (principal.name) claims.name = principal.name;
    // One clock reading for both: jose reads the clock again for a relative exp, and a second
    // boundary between the two readings made a token of the maximum lifetime one second too long.
    const iat = Math.floor(Date.now() / 1000);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: ALG, kid: this.keys.publicJwk.kid, typ: 'at+jwt' })
      .setSubject(principal.sub)
      .setIssuer(this.issuer)
      .setAudience(this.audience)
      .setIssuedAt(iat)
      .setExpirationTime(iat + Math.floor(ttlSeconds))
      .sign(key);
  }
}
