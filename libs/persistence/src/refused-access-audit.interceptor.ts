import {
  CallHandler,
  ExecutionContext,
  HttpException,
  Injectable,
  Logger,
  NestInterceptor,
  Provider,
} from '@nestjs/common';
import { APP_INTERCEPTOR, ModuleRef } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { Request } from 'express';
import { catchError, Observable, throwError } from 'rxjs';
import { DataSource } from 'typeorm';
import { DomainException, statusOfCode } from '@countylink/platform';
import { AuditActor, recordAudit } from './audit-log';

type AuditedRequest = Request & { principal?: AuditActor; id?: unknown };

function isNotFound(err: unknown): boolean {
  if (err instanceof DomainException) return statusOfCode(err.code) === 404;
  return err instanceof HttpException && err.getStatus() === 404;
}

/**
 * A signed-in caller answered 404 — another institution's record looks like no record, on purpose —
 * is audited like a read: who asked for what, by which route. The audit row is written before the
 * answer leaves (the read's own transaction, if any, was rolled back with the refusal).
 * One per app module (see `auditRefusedReads`): it handles that module's controllers, in its schema.
 */
@Injectable()
export class RefusedReadAudit implements NestInterceptor {
  private readonly logger = new Logger(RefusedReadAudit.name);
  private readonly mine = new WeakMap<object, boolean>();

  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly dataSource: DataSource,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http' || !this.handles(context.getClass())) return next.handle();
    const req = context.switchToHttp().getRequest<AuditedRequest>();
    return next.handle().pipe(
      catchError((err: unknown) => {
        if (!req.principal || !isNotFound(err)) return throwError(() => err);
        return new Observable<never>((subscriber) => {
          this.record(req).finally(() => subscriber.error(err));
        });
      }),
    );
  }

  /** This module's controllers only: in the embedded default every app's interceptor sees every request. */
  private handles(controller: object): boolean {
    let mine = this.mine.get(controller);
    if (mine === undefined) {
      try {
        this.moduleRef.get(controller as never, { strict: true });
        mine = true;
      } catch {
        mine = false;
      }
      this.mine.set(controller, mine);
    }
    return mine;
  }

  private async record(req: AuditedRequest): Promise<void> {
    const params = Object.values((req.params ?? {}) as Record<string, string>).map((v) => String(v).slice(0, 200));
    const given = req.headers['x-access-reason'];
    try {
      await recordAudit(this.dataSource.manager, req.principal!, {
        action: 'access.refused',
        resourceType: `${req.method} ${(req.route as { path?: string } | undefined)?.path ?? req.path}`,
        resourceId: params[0],
        resourceIds: params,
        reason:
          typeof given === 'string' && given.length > 0
            ? given.slice(0, 500)
            : 'not found or not visible to the caller',
        requestId: req.id === undefined ? undefined : String(req.id),
      });
    } catch (err) {
      this.logger.error({ err }, 'could not audit a refused read');
    }
  }
}

/** For an app module's providers: its refused reads are audited in `dataSourceName`'s audit table. */
export function auditRefusedReads(dataSourceName: string): Provider {
  return {
    provide: APP_INTERCEPTOR,
    inject: [ModuleRef, getDataSourceToken(dataSourceName)],
    useFactory: (moduleRef: ModuleRef, dataSource: DataSource) => new RefusedReadAudit(moduleRef, dataSource),
  };
}
