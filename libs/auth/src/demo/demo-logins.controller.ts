import { Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommonErrorCode, DomainException, Public } from '@countylink/platform';
import { LocalIssuer } from '../local-issuer';
import { DemoLogin } from './demo-logins';

export const DEMO_LOGINS = Symbol('DEMO_LOGINS');

/** A working day and a half: a console session lasts a shift without signing in again (if the maximum allows). */
const SHIFT_SECONDS = 12 * 3600;

/**
 * One click signs in as a demo member. Registered only with the local issuer (no AUTH_JWKS_URL):
 * a group with its own OIDC provider has no such door.
 */
@ApiTags('auth')
@Public()
@Controller('api/auth/demo-logins')
export class DemoLoginsController {
  constructor(
    private readonly issuer: LocalIssuer,
    @Inject(DEMO_LOGINS) private readonly logins: DemoLogin[],
  ) {}

  @Get()
  @ApiOperation({ summary: 'The demo members one can sign in as (embedded default only)' })
  list() {
    return { items: this.logins };
  }

  @Post(':login/token')
  @HttpCode(200)
  @ApiOperation({ summary: 'A token for a demo member (embedded default only)' })
  async token(@Param('login') login: string) {
    const member = this.logins.find((m) => m.login === login);
    if (!member) throw new DomainException(CommonErrorCode.NOT_FOUND, `No demo login ${login.slice(0, 64)}`);
    const seconds = Math.min(SHIFT_SECONDS, this.issuer.maxLifetimeSeconds);
    const token = await this.issuer.mint(
      {
        sub: member.login,
        name: member.name,
        roles: member.roles,
        institutionId: member.institutionId,
        departmentId: member.departmentId ?? undefined,
      },
      seconds,
    );
    return { token, expiresIn: seconds, login: member };
  }
}
