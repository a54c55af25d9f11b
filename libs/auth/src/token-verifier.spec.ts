import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, JWK, KeyLike, SignJWT } from 'jose';
import { parseTokenArgs } from './cli/token-args';
import { LocalIssuer, TokenLifetimeError } from './local-issuer';
import { Role } from './roles';
import { CLOCK_TOLERANCE_SECONDS, InvalidTokenError, TokenVerifier } from './token-verifier';

const ISSUER = 'https://idp.example/realms/g';
const AUDIENCE = 'countylink';
const claims = { roles: ['county-specialist'], institutionId: 'county-hospital' };
const now = () => Math.floor(Date.now() / 1000);

describe('TokenVerifier', () => {
  let key: KeyLike;
  let jwk: JWK;
  let verifier: TokenVerifier;
  /** A provider's token: header and claims as given, signed with the trusted key. */
  const sign = (payload: Record<string, unknown>, header: Record<string, unknown> = {}) =>
    new SignJWT({ ...claims, ...payload }).setProtectedHeader({ alg: 'ES256', kid: jwk.kid, ...header }).sign(key);
  const good = { sub: 'county-ecg', iss: ISSUER, aud: AUDIENCE };
  const refusal = (token: string) =>
    verifier.verifyToken(token).then(
      () => 'accepted',
      (err: Error) => (err instanceof InvalidTokenError ? err.message : `unexpected ${err.message}`),
    );

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256', { extractable: true });
    key = pair.privateKey;
    jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256' };
    verifier = new TokenVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      localJwks: { keys: [jwk] },
      maxLifetimeSeconds: 3600,
    });
  });

  it('accepts an access token and says when it expires', async () => {
    const exp = now() + 600;
    const verified = await verifier.verifyToken(await sign({ ...good, iat: now(), exp }, { typ: 'at+jwt' }));
    expect(verified).toEqual({
      principal: { sub: 'county-ecg', roles: [Role.CountySpecialist], institutionId: 'county-hospital' },
      expiresAt: new Date(exp * 1000),
    });
    // Keycloak's access tokens: header typ JWT, claim typ Bearer.
    expect(await refusal(await sign({ ...good, iat: now(), exp, typ: 'Bearer' }, { typ: 'JWT' }))).toBe('accepted');
  });

  it('remembers a verified token until its exp, then checks it again and refuses it', async () => {
    const exp = now() + 2;
    const token = await sign({ ...good, iat: now(), exp });
    const first = await verifier.verifyToken(token);
    expect(await verifier.verifyToken(token)).toBe(first); // remembered: the same object, no second check
    jest.useFakeTimers({ now: (exp + CLOCK_TOLERANCE_SECONDS + 1) * 1000, doNotFake: ['nextTick', 'setImmediate'] });
    try {
      expect(await refusal(token)).toBe('token has expired');
    } finally {
      jest.useRealTimers();
    }
    // A refused token is not remembered: a bad signature fails every time.
    const forged = `${token.slice(0, token.lastIndexOf('.'))}.${'A'.repeat(86)}`;
    expect(await refusal(forged)).toBe('token is not valid (ERR_JWS_SIGNATURE_VERIFICATION_FAILED)');
    expect(await refusal(forged)).toBe('token is not valid (ERR_JWS_SIGNATURE_VERIFICATION_FAILED)');
  });

  it('requires exp', async () => {
    expect(await refusal(await sign({ ...good, iat: now() }))).toBe('token has no expiry (exp is required)');
    expect(await refusal(await sign({ ...good, iat: now(), exp: now() - 120 }))).toBe('token has expired');
  });

  it('takes access tokens for this audience only: not an ID or refresh token, nor a token for another client', async () => {
    const exp = now() + 600;
    expect(await refusal(await sign({ ...good, exp, typ: 'ID' }))).toBe('token is not an access token (typ claim ID)');
    expect(await refusal(await sign({ ...good, exp, typ: 'Refresh' }))).toBe(
      'token is not an access token (typ claim Refresh)',
    );
    expect(await refusal(await sign({ ...good, exp }, { typ: 'id+jwt' }))).toBe(
      'token is not an access token (typ id+jwt)',
    );
    expect(await refusal(await sign({ ...good, exp, aud: 'countylink-console' }))).toBe(
      'token is not for this audience',
    );
    expect(await refusal(await sign({ ...good, exp, iss: 'https://elsewhere.example' }))).toMatch(
      /^token is not valid/,
    );
  });

  it('bounds the lifetime: exp − iat, or exp − now without iat, at most the maximum', async () => {
    expect(await refusal(await sign({ ...good, iat: now(), exp: now() + 3600 }))).toBe('accepted');
    expect(await refusal(await sign({ ...good, iat: now(), exp: now() + 3601 }))).toBe(
      'token lives longer than the 3600 s allowed',
    );
    expect(await refusal(await sign({ ...good, iat: now() - 7200, exp: now() + 60 }))).toBe(
      'token lives longer than the 3600 s allowed',
    );
    expect(await refusal(await sign({ ...good, exp: now() + 365 * 86400 }))).toBe(
      'token lives longer than the 3600 s allowed',
    );
    expect(await refusal(await sign({ ...good, iat: now() + 600, exp: now() + 900 }))).toBe(
      'token is issued in the future',
    );
  });
});

describe('the local issuer and the token CLI', () => {
  const logins = ['township-a-doctor'];

  it('mint access tokens no longer-lived than the maximum', async () => {
    const issuer = await LocalIssuer.open(
      mkdtempSync(join(tmpdir(), 'countylink-keys-')),
      'countylink-local',
      AUDIENCE,
      600,
    );
    const verifier = new TokenVerifier({
      issuer: 'countylink-local',
      audience: AUDIENCE,
      localJwks: issuer.jwks(),
      maxLifetimeSeconds: 600,
    });
    const principal = { sub: 'township-a-doctor', roles: [Role.TownshipDoctor], institutionId: 'township-a' };
    const token = await issuer.mint(principal);
    expect(JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString())).toMatchObject({ typ: 'at+jwt' });
    const { expiresAt } = await verifier.verifyToken(token);
    expect(Math.abs(expiresAt.getTime() - (Date.now() + 600_000))).toBeLessThan(5_000);
    await expect(issuer.mint(principal, 601)).rejects.toThrow(TokenLifetimeError);
    await expect(issuer.mint(principal, 601)).rejects.toThrow(
      'a token may live at most 600 s (AUTH_TOKEN_MAX_LIFETIME_SECONDS), not 601',
    );
  });

  it('the CLI refuses a --ttl above AUTH_TOKEN_MAX_LIFETIME_SECONDS (12 h unless set)', () => {
    expect(parseTokenArgs(['township-a-doctor'], {}, logins)).toEqual({
      login: 'township-a-doctor',
      ttl: 43_200,
      max: 43_200,
    });
    expect(parseTokenArgs(['township-a-doctor', '--ttl', '60'], {}, logins)).toEqual({
      login: 'township-a-doctor',
      ttl: 60,
      max: 43_200,
    });
    expect(parseTokenArgs(['--ttl', '60', 'township-a-doctor'], {}, logins)).toMatchObject({
      login: 'township-a-doctor',
      ttl: 60,
    });
    expect(parseTokenArgs(['township-a-doctor', '--ttl', '43201'], {}, logins)).toEqual({
      error: '--ttl 43201 is above the maximum token lifetime of 43200 s (AUTH_TOKEN_MAX_LIFETIME_SECONDS)',
    });
    expect(
      parseTokenArgs(['township-a-doctor', '--ttl', '900'], { AUTH_TOKEN_MAX_LIFETIME_SECONDS: '600' }, logins),
    ).toMatchObject({ error: expect.stringContaining('maximum token lifetime of 600 s') });
    expect(parseTokenArgs(['township-a-doctor', '--ttl', 'soon'], {}, logins)).toMatchObject({
      error: expect.stringContaining('--ttl must be'),
    });
    expect(parseTokenArgs(['someone'], {}, logins)).toEqual({ error: 'no login someone' });
  });
});
