import { Controller, DynamicModule, Get, Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiTags } from '@nestjs/swagger';
import { PlatformConfig, Public } from '@countylink/platform';
import { AuthConfigController } from './auth-config.controller';
import { AuthGuard } from './auth.guard';
import { DEMO_LOGINS, DemoLoginsController } from './demo/demo-logins.controller';
import { readDemoLogins } from './demo/demo-logins';
import { LocalIssuer } from './local-issuer';
import { TokenVerifier } from './token-verifier';

@ApiTags('auth')
@Public()
@Controller('.well-known')
class LocalJwksController {
  constructor(private readonly issuer: LocalIssuer) {}

  /** The local issuer's public keys, for tools that verify our tokens. */
  @Get('jwks.json')
  jwks() {
    return this.issuer.jwks();
  }
}

/**
 * JWT verification for every route: against the provider's AUTH_JWKS_URL, or the local issuer where it
 * is switched on (AUTH_LOCAL_ISSUER=enabled: the embedded default, tests), and with it the console's
 * one-click demo sign-in (only then: an OIDC group signs in at its provider, whose client settings
 * `GET /api/auth/config` gives the console).
 */
@Global()
@Module({})
export class AuthModule {
  static forRoot(config: PlatformConfig): DynamicModule {
    const guard = { provide: APP_GUARD, useClass: AuthGuard };
    const checks = {
      issuer: config.AUTH_ISSUER,
      audience: config.AUTH_AUDIENCE,
      maxLifetimeSeconds: config.AUTH_TOKEN_MAX_LIFETIME_SECONDS,
    };
    if (config.AUTH_JWKS_URL) {
      const verifier = new TokenVerifier({ ...checks, jwksUrl: config.AUTH_JWKS_URL });
      return {
        module: AuthModule,
        controllers: [AuthConfigController],
        providers: [{ provide: TokenVerifier, useValue: verifier }, guard],
        exports: [TokenVerifier],
      };
    }
    // loadConfig refuses this already; a hand-made config must not fall back to minting its own tokens.
    if (config.AUTH_LOCAL_ISSUER !== 'enabled')
      throw new Error('AUTH_JWKS_URL is not set and the local issuer is not enabled (AUTH_LOCAL_ISSUER)');
    return {
      module: AuthModule,
      controllers: [AuthConfigController, LocalJwksController, DemoLoginsController],
      providers: [
        { provide: DEMO_LOGINS, useFactory: () => readDemoLogins(config.DIRECTORY_SEED_FILE) },
        {
          provide: LocalIssuer,
          useFactory: () =>
            LocalIssuer.open(
              config.AUTH_LOCAL_KEYS_DIR,
              config.AUTH_ISSUER,
              config.AUTH_AUDIENCE,
              config.AUTH_TOKEN_MAX_LIFETIME_SECONDS,
            ),
        },
        {
          provide: TokenVerifier,
          inject: [LocalIssuer],
          useFactory: (issuer: LocalIssuer) => new TokenVerifier({ ...checks, localJwks: issuer.jwks() }),
        },
        guard,
      ],
      exports: [TokenVerifier, LocalIssuer],
    };
  }
}
