import { Controller, Get, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PlatformConfig, DomainException, Public } from '@countylink/platform';
import { CurrentPrincipal } from './auth.decorators';
import { AuthConfigAnswer, authConfigOf, AuthErrorCode } from './auth-config';
import { Principal } from './roles';

/** What the console asks before anyone signs in, and who the backbone takes a token to be. */
@ApiTags('auth')
@Controller('api/auth')
export class AuthConfigController implements OnApplicationBootstrap {
  constructor(private readonly config: PlatformConfig) {}

  onApplicationBootstrap(): void {
    const answer = authConfigOf(this.config);
    if ('missing' in answer) {
      new Logger('auth').warn(
        `AUTH_JWKS_URL is set without ${answer.missing.join(' and ')}: provider tokens are accepted, but the console cannot sign anyone in`,
      );
    }
  }

  @Get('config')
  @Public()
  @ApiOperation({
    summary: "How the console signs in: `local` (demo logins) or `oidc` (the group's provider, code flow with PKCE)",
  })
  authConfig(): AuthConfigAnswer {
    const answer = authConfigOf(this.config);
    if ('missing' in answer) {
      throw new DomainException(
        AuthErrorCode.OIDC_NOT_CONFIGURED,
        `Sign-in at the group's OIDC provider is not configured: set ${answer.missing.join(' and ')} (AUTH_JWKS_URL is set, so there are no demo logins)`,
        { missing: answer.missing },
      );
    }
    return answer;
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The caller as the backbone reads their token: subject, roles, institution, department' })
  me(@CurrentPrincipal() principal: Principal) {
    return {
      sub: principal.sub,
      roles: principal.roles,
      institutionId: principal.institutionId,
      departmentId: principal.departmentId ?? null,
    };
  }
}
