import { createHash, randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, JWK, KeyLike, SignJWT } from 'jose';

/** A person at the provider, with the claims CountyLink reads from the access token. */
export interface ProviderUser {
  sub: string;
  name: string;
  roles: string[];
  institutionId: string;
  departmentId?: string;
}

interface Grant {
  user: ProviderUser;
  redirectUri: string;
  challenge: string;
  nonce?: string;
  scope: string;
  expiresAt: number;
}

export interface TokenRequest {
  at: number;
  grantType: string;
  ok: boolean;
  error?: string;
}

const random = () => randomBytes(24).toString('base64url');
const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');

/**
 * The group's OIDC provider, as far as the console needs one (the provider is outside the group's
 * code): discovery, /authorize (code flow, PKCE S256 required, prompt=none answered from its session
 * cookie), /token (authorization code with the verifier checked, refresh token when `refreshTokens`),
 * /jwks, /logout. Its login form is skipped: whoever opens /authorize signs in as `user`. It counts
 * what it is asked and can revoke a subject (its session and refresh tokens end).
 */
export class MockOidcProvider {
  readonly tokenRequests: TokenRequest[] = [];
  readonly authorizeRequests: URLSearchParams[] = [];
  readonly logouts: URLSearchParams[] = [];
  /** Every access token issued, with its expiry (epoch seconds). */
  readonly issued: Array<{ token: string; exp: number; sub: string }> = [];
  user: ProviderUser | null = null;
  tokenSeconds = 15;
  refreshTokens = false;
  private redirectUris: string[] = [];
  private readonly sessions = new Map<string, ProviderUser>();
  private readonly codes = new Map<string, Grant>();
  private readonly refresh = new Map<string, ProviderUser>();
  private readonly revoked = new Set<string>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly key: KeyLike,
    private readonly jwk: JWK,
    readonly clientId: string,
    readonly audience: string,
  ) {}

  static async start(clientId: string, audience: string): Promise<MockOidcProvider> {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'mock-1', alg: 'ES256', use: 'sig' };
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/realms/yigongti`;
    const provider = new MockOidcProvider(server, url, privateKey, jwk, clientId, audience);
    server.on(
      'request',
      (req, res) =>
        void provider
          .handle(req, res)
          .catch((err: Error) => provider.json(res, 500, { error: 'server_error', error_description: err.message })),
    );
    return provider;
  }

  /** The console's redirect URIs, once its address is known (exact match, as a real provider checks). */
  register(redirectUris: string[]): void {
    this.redirectUris = redirectUris;
  }

  revoke(sub: string): void {
    this.revoked.add(sub);
    for (const [sid, user] of this.sessions) if (user.sub === sub) this.sessions.delete(sid);
    for (const [token, user] of this.refresh) if (user.sub === sub) this.refresh.delete(token);
  }

  /** An access token as the provider issues them, for a test's own API calls. */
  async mint(user: ProviderUser, seconds = this.tokenSeconds): Promise<string> {
    const { sub, name, roles, institutionId, departmentId } = user;
    const exp = Math.floor(Date.now() / 1000) + seconds;
    const token = await new SignJWT({
      name,
      roles,
      institutionId,
      ...(departmentId ? { departmentId } : {}),
      azp: this.clientId,
      scope: 'openid profile',
    })
      .setProtectedHeader({ alg: 'ES256', kid: this.jwk.kid, typ: 'at+jwt' })
      .setIssuer(this.url)
      .setAudience(this.audience)
      .setSubject(sub)
      .setIssuedAt()
      .setExpirationTime(exp)
      .setJti(random())
      .sign(this.key);
    this.issued.push({ token, exp, sub });
    return token;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('Access-Control-Allow-Origin', '*');
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        'Access-Control-Allow-Headers': 'authorization, content-type, dpop',
        'Access-Control-Allow-Methods': 'GET, POST',
      });
      return void res.end();
    }
    const url = new URL(req.url ?? '/', this.url);
    const path = url.pathname.slice(new URL(this.url).pathname.length);
    if (path === '/.well-known/openid-configuration') return this.json(res, 200, this.discovery());
    if (path === '/jwks') return this.json(res, 200, { keys: [this.jwk] });
    if (path === '/authorize') return this.authorize(req, res, url.searchParams);
    if (path === '/logout') return this.logout(req, res, url.searchParams);
    if (path === '/token' && req.method === 'POST') return this.token(res, new URLSearchParams(await body(req)));
    this.json(res, 404, { error: 'not_found' });
  }

  private discovery() {
    return {
      issuer: this.url,
      authorization_endpoint: `${this.url}/authorize`,
      token_endpoint: `${this.url}/token`,
      jwks_uri: `${this.url}/jwks`,
      end_session_endpoint: `${this.url}/logout`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      code_challenge_methods_supported: ['S256'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['ES256'],
      token_endpoint_auth_methods_supported: ['none'],
      scopes_supported: ['openid', 'profile', 'offline_access'],
    };
  }

  private authorize(req: IncomingMessage, res: ServerResponse, q: URLSearchParams): void {
    this.authorizeRequests.push(q);
    const redirectUri = q.get('redirect_uri') ?? '';
    if (q.get('client_id') !== this.clientId || !this.redirectUris.includes(redirectUri))
      return this.json(res, 400, { error: 'invalid_request', error_description: 'unknown client or redirect_uri' });
    const back = (params: Record<string, string>) => {
      const to = new URL(redirectUri);
      for (const [k, v] of Object.entries({
        ...params,
        ...(q.get('state') ? { state: q.get('state') as string } : {}),
      }))
        to.searchParams.set(k, v);
      res.writeHead(302, { Location: to.toString() }).end();
    };
    if (q.get('response_type') !== 'code') return back({ error: 'unsupported_response_type' });
    if (!q.get('code_challenge') || q.get('code_challenge_method') !== 'S256')
      return back({ error: 'invalid_request', error_description: 'PKCE with S256 is required' });
    const sid = /(?:^|;\s*)mock_sid=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
    let user = sid ? this.sessions.get(sid) : undefined;
    if (!user && q.get('prompt') === 'none') return back({ error: 'login_required' });
    if (!user) {
      if (!this.user) return back({ error: 'access_denied' });
      user = this.user;
      const newSid = random();
      this.sessions.set(newSid, user);
      this.revoked.delete(user.sub);
      res.setHeader('Set-Cookie', `mock_sid=${newSid}; Path=/; HttpOnly; SameSite=Lax`);
    }
    const code = random();
    this.codes.set(code, {
      user,
      redirectUri,
      challenge: q.get('code_challenge') as string,
      nonce: q.get('nonce') ?? undefined,
      scope: q.get('scope') ?? 'openid',
      expiresAt: Date.now() + 60_000,
    });
    back({ code });
  }

  private async token(res: ServerResponse, form: URLSearchParams): Promise<void> {
    const grantType = form.get('grant_type') ?? '';
    const refuse = (error: string, description: string) => {
      this.tokenRequests.push({ at: Date.now(), grantType, ok: false, error: description });
      this.json(res, 400, { error, error_description: description });
    };
    if (form.get('client_id') !== this.clientId) return refuse('invalid_client', 'unknown client');
    let user: ProviderUser | undefined;
    let nonce: string | undefined;
    if (grantType === 'authorization_code') {
      const grant = this.codes.get(form.get('code') ?? '');
      // A code is good for one attempt, whatever its outcome.
      this.codes.delete(form.get('code') ?? '');
      if (!grant || grant.expiresAt < Date.now()) return refuse('invalid_grant', 'unknown, used or expired code');
      if (grant.redirectUri !== form.get('redirect_uri'))
        return refuse('invalid_grant', 'redirect_uri differs from the authorization request');
      const verifier = form.get('code_verifier');
      if (!verifier) return refuse('invalid_grant', 'code_verifier is required (PKCE)');
      if (s256(verifier) !== grant.challenge)
        return refuse('invalid_grant', 'code_verifier does not match the code_challenge');
      ({ user, nonce } = grant);
    } else if (grantType === 'refresh_token') {
      user = this.refresh.get(form.get('refresh_token') ?? '');
      this.refresh.delete(form.get('refresh_token') ?? '');
      if (!user) return refuse('invalid_grant', 'unknown, used or revoked refresh token');
    } else return refuse('unsupported_grant_type', grantType);
    if (this.revoked.has(user.sub)) return refuse('invalid_grant', 'the grant was revoked');
    const idToken = await new SignJWT({ name: user.name, ...(nonce ? { nonce } : {}) })
      .setProtectedHeader({ alg: 'ES256', kid: this.jwk.kid })
      .setIssuer(this.url)
      .setAudience(this.clientId)
      .setSubject(user.sub)
      .setIssuedAt()
      .setExpirationTime(`${this.tokenSeconds}s`)
      .sign(this.key);
    const refreshToken = this.refreshTokens ? random() : undefined;
    if (refreshToken) this.refresh.set(refreshToken, user);
    const accessToken = await this.mint(user);
    this.tokenRequests.push({ at: Date.now(), grantType, ok: true });
    this.json(res, 200, {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: this.tokenSeconds,
      id_token: idToken,
      scope: 'openid profile',
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
    });
  }

  private logout(req: IncomingMessage, res: ServerResponse, q: URLSearchParams): void {
    this.logouts.push(q);
    const sid = /(?:^|;\s*)mock_sid=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
    if (sid) this.sessions.delete(sid);
    const to = q.get('post_logout_redirect_uri');
    res.setHeader('Set-Cookie', 'mock_sid=; Path=/; Max-Age=0');
    if (to && this.redirectUris.includes(to)) return void res.writeHead(302, { Location: to }).end();
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' }).end('signed out');
  }

  private json(res: ServerResponse, status: number, value: unknown): void {
    res
      .writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' })
      .end(JSON.stringify(value));
  }
}

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req
      .setEncoding('utf8')
      .on('data', (chunk: string) => (text += chunk))
      .on('end', () => resolve(text))
      .on('error', reject);
  });
}
