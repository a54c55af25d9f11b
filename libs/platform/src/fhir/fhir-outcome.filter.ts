import type * as fhir4 from 'fhir/r4';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainException } from '../errors/domain.exception';
import { statusOfCode } from '../errors/error-codes';
import { FHIR_JSON } from './fhir-json';

const ISSUE_CODE: Record<number, fhir4.OperationOutcomeIssue['code']> = {
  400: 'invalid', 401: 'login', 403: 'forbidden', 404: 'not-found', 406: 'not-supported', 409: 'conflict', 413: 'too-long', 415: 'not-supported',
  422: 'business-rule',
};

/**
 * FHIR clients expect an OperationOutcome, not our JSON error shape; the code is kept in `details`.
 * Shared by every app's read-only FHIR views (`@UseFilters(FhirOutcomeFilter)` on the controller).
 */
@Catch()
export class FhirOutcomeFilter implements ExceptionFilter {
  private readonly logger = new Logger('FhirOutcomeFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const status =
      exception instanceof DomainException ? (statusOfCode(exception.code) ?? 500) : exception instanceof HttpException ? exception.getStatus() : 500;
    const code = exception instanceof DomainException ? exception.code : 'INTERNAL';
    const outcome: fhir4.OperationOutcome = {
      resourceType: 'OperationOutcome',
      issue: [{
        severity: 'error',
        code: ISSUE_CODE[status] ?? 'exception',
        details: { coding: [{ system: 'urn:countylink:error', code }] },
        diagnostics: status >= 500 ? 'Internal error' : exception instanceof Error ? exception.message : String(exception),
      }],
    };
    // The body hides a 5xx's cause from the client, so the log must keep it.
    if (status >= 500) this.logger.error({ err: exception, requestId: host.switchToHttp().getRequest<Request>().id }, 'FHIR request failed');
    if (!res.headersSent) res.status(status).type(FHIR_JSON).send(JSON.stringify(outcome));
  }
}
