import type * as fhir4 from 'fhir/r4';
import type { ErrorBody } from '../errors/domain.exception';

const ISSUE_CODE: Record<number, fhir4.OperationOutcomeIssue['code']> = {
  400: 'invalid',
  401: 'login',
  403: 'forbidden',
  404: 'not-found',
  406: 'not-supported',
  409: 'conflict',
  413: 'too-long',
  415: 'not-supported',
  422: 'business-rule',
};

/** Whether a request is for the FHIR views, whose clients expect an OperationOutcome for any error. */
export function isFhirPath(path: string): boolean {
  return path === '/fhir' || path.startsWith('/fhir/');
}

/** Our error, as FHIR clients expect it: the code (and the clinician's message as `text`) in `details`, the message in `diagnostics`. */
export function operationOutcome(status: number, error: ErrorBody['error']): fhir4.OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: [
      {
        severity: 'error',
        code: ISSUE_CODE[status] ?? 'exception',
        details: {
          coding: [{ system: 'urn:countylink:error', code: error.code }],
          ...(error.userMessage ? { text: error.userMessage } : {}),
        },
        diagnostics: error.message,
      },
    ],
  };
}
