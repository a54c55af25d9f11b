import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { Principal, Role } from './roles';

export const ROLES_KEY = 'countylink:roles';

/** The route is open to any of these roles (403 otherwise). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

export const CurrentPrincipal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal => ctx.switchToHttp().getRequest<{ principal: Principal }>().principal,
);

/** The request header in which a caller says why it reads patient data (kept in the access audit). */
export const ACCESS_REASON_HEADER = 'x-access-reason';

/**
 * The caller's stated reason for a read (the X-Access-Reason header), undefined without one; with
 * the route's default purpose it makes the audit's `accessContext(req, reason, fallback)`.
 */
export const AccessReason = createParamDecorator((_: unknown, ctx: ExecutionContext): string | undefined => {
  const value = ctx.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>().headers[
    ACCESS_REASON_HEADER
  ];
  return typeof value === 'string' ? value : undefined;
});
