import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainException, ErrorBody } from './domain.exception';
import { CommonErrorCode, statusOfCode, userMessageOfCode } from './error-codes';
import { FHIR_JSON } from '../fhir/fhir-json';
import { isFhirPath, operationOutcome } from '../fhir/fhir-outcome';

const codeByHttpStatus: Record<number, CommonErrorCode> = {
  400: CommonErrorCode.VALIDATION_FAILED,
  401: CommonErrorCode.UNAUTHENTICATED,
  403: CommonErrorCode.FORBIDDEN,
  404: CommonErrorCode.NOT_FOUND,
  409: CommonErrorCode.CONFLICT,
  413: CommonErrorCode.PAYLOAD_TOO_LARGE,
  415: CommonErrorCode.UNSUPPORTED_MEDIA_TYPE,
};

/** body-parser's errors carry `type`; map them to our codes instead of leaking parser text. */
function fromBodyParser(
  err: { type?: string; status?: number; message?: string } | undefined,
): [number, string, string] | undefined {
  if (!err || typeof err !== 'object') return undefined;
  if (err.type === 'entity.too.large')
    return [413, CommonErrorCode.PAYLOAD_TOO_LARGE, 'The request body is larger than allowed'];
  if (err.type === 'entity.parse.failed')
    return [400, CommonErrorCode.MALFORMED_BODY, 'The request body is not valid JSON'];
  if (err.type === 'encoding.unsupported' || err.type === 'charset.unsupported')
    return [415, CommonErrorCode.UNSUPPORTED_MEDIA_TYPE, err.message ?? 'Unsupported encoding'];
  return undefined;
}

/**
 * The one place that turns any error into the design's `{ error: { code, message, details, userMessage } }` —
 * or, under `/fhir/`, into the same error as a FHIR OperationOutcome.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request>();
    const [status, body] = this.toBody(exception);
    body.error.userMessage = userMessageOfCode(body.error.code);
    body.error.requestId = req.id === undefined ? undefined : String(req.id);
    if (status >= 500) this.logger.error({ err: exception, requestId: req.id }, 'request failed');
    if (res.headersSent) return;
    if (isFhirPath(req.path))
      res
        .status(status)
        .type(FHIR_JSON)
        .send(JSON.stringify(operationOutcome(status, body.error)));
    else res.status(status).json(body);
  }

  private toBody(exception: unknown): [number, ErrorBody] {
    if (exception instanceof DomainException) {
      const status = statusOfCode(exception.code);
      if (status === undefined) {
        this.logger.error(`error code ${exception.code} has no registered HTTP status`);
        return [500, { error: { code: CommonErrorCode.INTERNAL, message: 'Internal error' } }];
      }
      return [status, { error: { code: exception.code, message: exception.message, details: exception.details } }];
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const parsed = fromBodyParser(exception.cause as { type?: string }) ?? undefined;
      if (parsed) return [parsed[0], { error: { code: parsed[1], message: parsed[2] } }];
      // Terminus: a dependency is down; say which, with its own report.
      if (status === 503) {
        return [
          503,
          {
            error: {
              code: CommonErrorCode.NOT_READY,
              message: 'A dependency is not reachable',
              details: exception.getResponse(),
            },
          },
        ];
      }
      // Nest hands body-parser's JSON syntax errors over as a plain BadRequestException.
      if (status === 400 && /JSON/.test(exception.message)) {
        return [
          400,
          {
            error: {
              code: CommonErrorCode.MALFORMED_BODY,
              message: `The request body is not valid JSON: ${exception.message}`,
            },
          },
        ];
      }
      const code =
        codeByHttpStatus[status] ?? (status >= 500 ? CommonErrorCode.INTERNAL : CommonErrorCode.VALIDATION_FAILED);
      return [status, { error: { code, message: status >= 500 ? 'Internal error' : exception.message } }];
    }
    const parsed = fromBodyParser(exception as { type?: string });
    if (parsed) return [parsed[0], { error: { code: parsed[1], message: parsed[2] } }];
    return [500, { error: { code: CommonErrorCode.INTERNAL, message: 'Internal error' } }];
  }
}
