import { loadConfig } from './load-config';

const valid = { DATABASE_URL: 'postgres://u:p@localhost:5432/db', IDENTITY_HASH_KEY: 'x'.repeat(32) };
const provider = {
  AUTH_JWKS_URL: 'https://idp.county.example/realms/yigongti/protocol/openid-connect/certs',
  AUTH_OIDC_AUTHORITY: 'https://idp.county.example/realms/yigongti',
  AUTH_OIDC_CLIENT_ID: 'countylink-console',
};

describe("the console's OIDC client settings", () => {
  it("are read with the provider's JWKS; the scope defaults to openid profile", () => {
    const config = loadConfig({ ...valid, ...provider });
    expect([config.AUTH_OIDC_AUTHORITY, config.AUTH_OIDC_CLIENT_ID, config.AUTH_OIDC_SCOPE]).toEqual([
      provider.AUTH_OIDC_AUTHORITY,
      'countylink-console',
      'openid profile',
    ]);
    expect(
      loadConfig({ ...valid, ...provider, AUTH_OIDC_SCOPE: 'openid profile offline_access' }).AUTH_OIDC_SCOPE,
    ).toBe('openid profile offline_access');
  });

  it("may be absent: the local issuer, or a provider's JWKS for an API-only service", () => {
    expect(loadConfig({ ...valid, AUTH_LOCAL_ISSUER: 'enabled' }).AUTH_OIDC_AUTHORITY).toBeUndefined();
    expect(loadConfig({ ...valid, AUTH_JWKS_URL: provider.AUTH_JWKS_URL }).AUTH_OIDC_CLIENT_ID).toBeUndefined();
  });

  it.each([
    [{ AUTH_OIDC_CLIENT_ID: undefined }, 'AUTH_OIDC_CLIENT_ID'],
    [{ AUTH_OIDC_AUTHORITY: undefined }, 'AUTH_OIDC_AUTHORITY'],
    [{ AUTH_OIDC_AUTHORITY: 'idp.county.example' }, 'AUTH_OIDC_AUTHORITY'],
    [{ AUTH_JWKS_URL: undefined }, 'AUTH_JWKS_URL'],
    [{ AUTH_OIDC_SCOPE: 'profile email' }, 'AUTH_OIDC_SCOPE'],
    [{ AUTH_OIDC_SCOPE: 'openid  profile' }, 'AUTH_OIDC_SCOPE'],
  ])('refuse to start half-configured: %j names %s', (override, name) => {
    expect(() => loadConfig({ ...valid, ...provider, ...override })).toThrow(new RegExp(`\\b${name}=`));
  });
});
