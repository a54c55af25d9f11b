import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { CommonErrorCode, DomainException, IS_PUBLIC } from '@countylink/platform';
import { ROLES_KEY } from './auth.decorators';
import { hasAnyRole, Principal, Role } from './roles';
import { InvalidTokenError, TokenVerifier } from './token-verifier';

/** Every route needs a valid bearer token unless marked @Public(); @Roles() narrows who may call it. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = context.switchToHttp().getRequest<Request & { principal?: Principal }>();
    const header = req.headers.authorization;
    const match = header?.match(/^Bearer\s+(\S+)$/i);
    if (!match)
      throw new DomainException(
        CommonErrorCode.UNAUTHENTICATED,
        'A bearer token is required (Authorization: Bearer <token>)',
      );
    try {
      req.principal = await this.verifier.verify(match[1]);
    } catch (err) {
      if (err instanceof InvalidTokenError) throw new DomainException(CommonErrorCode.UNAUTHENTICATED, err.message);
      throw err;
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !hasAnyRole(req.principal, roles)) {
      throw new DomainException(CommonErrorCode.FORBIDDEN, `This action needs one of the roles: ${roles.join(', ')}`);
    }
    return true;
  }
}
