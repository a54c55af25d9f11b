import { Controller, DynamicModule, Get, Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiTags } from '@nestjs/swagger';
import { AppConfig, Public } from '@countylink/platform';
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
 * JWT verification for every route; the local issuer when no AUTH_JWKS_URL is configured, and with
 * it the console's one-click demo sign-in (only then: an OIDC group signs in at its provider, whose
 * client settings `GET /api/auth/config` gives the console).
 */
@Global()
@Module({})
export class AuthModule {
  static forRoot(config: AppConfig): DynamicModule {
    const guard = { provide: APP_GUARD, useClass: AuthGuard };
    if (config.AUTH_JWKS_URL) {
      const verifier = new TokenVerifier({ issuer: config.AUTH_ISSUER, audience: config.AUTH_AUDIENCE, jwksUrl: config.AUTH_JWKS_URL });
      return { module: AuthModule, controllers: [AuthConfigController], providers: [{ provide: TokenVerifier, useValue: verifier }, guard], exports: [TokenVerifier] };
    }
    return {
      module: AuthModule,
      controllers: [AuthConfigController, LocalJwksController, DemoLoginsController],
      providers: [
        { provide: DEMO_LOGINS, useFactory: () => readDemoLogins(config.DIRECTORY_SEED_FILE) },
        { provide: LocalIssuer, useFactory: () => LocalIssuer.open(config.AUTH_LOCAL_KEYS_DIR, config.AUTH_ISSUER, config.AUTH_AUDIENCE) },
        {
          provide: TokenVerifier,
          inject: [LocalIssuer],
          useFactory: (issuer: LocalIssuer) =>
            new TokenVerifier({ issuer: config.AUTH_ISSUER, audience: config.AUTH_AUDIENCE, localJwks: issuer.jwks() }),
        },
        guard,
      ],
      exports: [TokenVerifier, LocalIssuer],
    };
  }
}
