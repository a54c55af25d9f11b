import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Observable, finalize } from 'rxjs';
import { histogram } from './metrics';

const requestSeconds = histogram('http_request_duration_seconds', 'HTTP request duration', [
  'method',
  'route',
  'status',
]);

@Injectable()
export class HttpMetricsInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    const stop = requestSeconds.startTimer();
    return next.handle().pipe(
      finalize(() => {
        const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
        stop({ method: req.method, route, status: String(http.getResponse<Response>().statusCode) });
      }),
    );
  }
}
