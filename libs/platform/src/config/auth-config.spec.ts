import { InvalidConfigError, loadConfig } from './load-config';

const base = { DATABASE_URL: 'postgres://u:p@localhost:5432/db', IDENTITY_HASH_KEY: 'x'.repeat(32) };
const refusal = (env: Record<string, string>) => {
  try {
    loadConfig({ ...base, ...env });
  } catch (err) {
    if (err instanceof InvalidConfigError) return err.message;
    throw err;
  }
  throw new Error('the configuration was accepted');
};

describe('where tokens are verified', () => {
  it('stops a service started without AUTH_JWKS_URL, saying that only the embedded default has a local issuer', () => {
    expect(refusal({})).toMatch(
      /AUTH_JWKS_URL=undefined: AUTH_JWKS_URL must be set to the JWKS of the group's OIDC provider.*only the embedded default/,
    );
    expect(refusal({ NODE_ENV: 'production' })).toMatch(/\bAUTH_JWKS_URL=/);
  });

  it('runs the local issuer only when asked for (the embedded default, the tests), and never beside a provider', () => {
    expect(loadConfig({ ...base, AUTH_LOCAL_ISSUER: 'enabled' }).AUTH_LOCAL_ISSUER).toBe('enabled');
    expect(refusal({ AUTH_LOCAL_ISSUER: 'yes' })).toMatch(/\bAUTH_LOCAL_ISSUER="yes"/);
    expect(refusal({ AUTH_LOCAL_ISSUER: 'enabled', AUTH_JWKS_URL: 'https://idp.example/jwks' })).toMatch(
      /AUTH_LOCAL_ISSUER="enabled": AUTH_LOCAL_ISSUER=enabled cannot be combined with AUTH_JWKS_URL/,
    );
  });

  it('takes a JWKS over https only; http:// only on this machine under NODE_ENV=test', () => {
    expect(loadConfig({ ...base, AUTH_JWKS_URL: 'https://idp.example/realms/g/certs' }).AUTH_JWKS_URL).toBe(
      'https://idp.example/realms/g/certs',
    );
    for (const env of <Array<Record<string, string>>>[
      { AUTH_JWKS_URL: 'http://idp.example/realms/g/certs' },
      { AUTH_JWKS_URL: 'http://idp.example/realms/g/certs', NODE_ENV: 'test' },
      { AUTH_JWKS_URL: 'http://127.0.0.1:8080/jwks', NODE_ENV: 'production' },
      { AUTH_JWKS_URL: 'http://127.0.0.1:8080/jwks' },
      { AUTH_JWKS_URL: 'ftp://idp.example/jwks' },
    ]) {
      expect(refusal(env)).toMatch(/AUTH_JWKS_URL=".*": .*AUTH_JWKS_URL must be an https:\/\/ URL/);
    }
    expect(loadConfig({ ...base, NODE_ENV: 'test', AUTH_JWKS_URL: 'http://127.0.0.1:8080/jwks' }).AUTH_JWKS_URL).toBe(
      'http://127.0.0.1:8080/jwks',
    );
    expect(loadConfig({ ...base, NODE_ENV: 'test', AUTH_JWKS_URL: 'http://localhost:8080/jwks' }).AUTH_JWKS_URL).toBe(
      'http://localhost:8080/jwks',
    );
  });

  it('bounds token lifetimes: 12 h unless set, between a minute and a week', () => {
    expect(loadConfig({ ...base, AUTH_LOCAL_ISSUER: 'enabled' }).AUTH_TOKEN_MAX_LIFETIME_SECONDS).toBe(43_200);
    expect(
      loadConfig({ ...base, AUTH_LOCAL_ISSUER: 'enabled', AUTH_TOKEN_MAX_LIFETIME_SECONDS: '900' })
        .AUTH_TOKEN_MAX_LIFETIME_SECONDS,
    ).toBe(900);
    expect(refusal({ AUTH_LOCAL_ISSUER: 'enabled', AUTH_TOKEN_MAX_LIFETIME_SECONDS: '30' })).toMatch(
      /\bAUTH_TOKEN_MAX_LIFETIME_SECONDS=30/,
    );
    expect(refusal({ AUTH_LOCAL_ISSUER: 'enabled', AUTH_TOKEN_MAX_LIFETIME_SECONDS: String(30 * 24 * 3600) })).toMatch(
      /\bAUTH_TOKEN_MAX_LIFETIME_SECONDS=/,
    );
  });
});
