import { PlatformConfig, DomainException } from '@countylink/platform';
import { AuthConfigController } from './auth-config.controller';
import { AuthModule } from './auth.module';
import { Role } from './roles';

const base = {
  AUTH_ISSUER: 'countylink-local',
  AUTH_AUDIENCE: 'countylink',
  AUTH_LOCAL_KEYS_DIR: '/tmp/none',
  AUTH_LOCAL_ISSUER: 'enabled',
  AUTH_OIDC_SCOPE: 'openid profile',
} as PlatformConfig;
const provider = {
  ...base,
  AUTH_LOCAL_ISSUER: 'disabled',
  AUTH_ISSUER: 'https://idp.example/realms/g',
  AUTH_JWKS_URL: 'https://idp.example/realms/g/certs',
} as PlatformConfig;
const answer = (config: PlatformConfig) => new AuthConfigController(config).authConfig();

describe('GET /api/auth/config', () => {
  it('says local (demo logins) with the local issuer', () => {
    expect(answer(base)).toEqual({ mode: 'local', issuer: 'countylink-local' });
  });

  it("gives the console the provider's client settings with AUTH_JWKS_URL", () => {
    expect(
      answer({
        ...provider,
        AUTH_OIDC_AUTHORITY: 'https://idp.example/realms/g',
        AUTH_OIDC_CLIENT_ID: 'console',
      } as PlatformConfig),
    ).toEqual({
      mode: 'oidc',
      authority: 'https://idp.example/realms/g',
      clientId: 'console',
      scope: 'openid profile',
    });
  });

  it("answers 503 AUTH_OIDC_NOT_CONFIGURED, naming the settings, for a provider's JWKS without the console's client", () => {
    const refusal = (() => {
      try {
        answer(provider);
      } catch (err) {
        return err;
      }
    })() as DomainException;
    expect(refusal).toBeInstanceOf(DomainException);
    expect(refusal.code).toBe('AUTH_OIDC_NOT_CONFIGURED');
    expect(refusal.message).toMatch(/AUTH_OIDC_AUTHORITY and AUTH_OIDC_CLIENT_ID/);
  });

  it('is routed in both modes; /api/auth/me tells who the token is', () => {
    expect(AuthModule.forRoot(base).controllers).toContain(AuthConfigController);
    expect(AuthModule.forRoot(provider).controllers).toContain(AuthConfigController);
    expect(
      new AuthConfigController(base).me({
        sub: 'county-ecg',
        roles: [Role.CountySpecialist],
        institutionId: 'county-hospital',
      }),
    ).toEqual({
      sub: 'county-ecg',
      roles: ['county-specialist'],
      institutionId: 'county-hospital',
      departmentId: null,
    });
  });
});
