/** Codes every app shares; each module adds its own enum and registers its status map. */
export enum CommonErrorCode {
  VALIDATION_FAILED = 'VALIDATION_FAILED',
  MALFORMED_BODY = 'MALFORMED_BODY',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE = 'UNSUPPORTED_MEDIA_TYPE',
  IDEMPOTENCY_KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED',
  CONFLICT = 'CONFLICT',
  NOT_READY = 'NOT_READY',
  INTERNAL = 'INTERNAL',
}

const commonStatus: Record<CommonErrorCode, number> = {
  [CommonErrorCode.VALIDATION_FAILED]: 400,
  [CommonErrorCode.MALFORMED_BODY]: 400,
  [CommonErrorCode.UNAUTHENTICATED]: 401,
  [CommonErrorCode.FORBIDDEN]: 403,
  [CommonErrorCode.NOT_FOUND]: 404,
  [CommonErrorCode.PAYLOAD_TOO_LARGE]: 413,
  [CommonErrorCode.UNSUPPORTED_MEDIA_TYPE]: 415,
  [CommonErrorCode.IDEMPOTENCY_KEY_REUSED]: 422,
  [CommonErrorCode.CONFLICT]: 409,
  [CommonErrorCode.NOT_READY]: 503,
  [CommonErrorCode.INTERNAL]: 500,
};

const statusByCode = new Map<string, number>(Object.entries(commonStatus));

/**
 * A module registers its whole code enum with a `Record<Code, status>`, so the compiler refuses a
 * code without a status; the filter answers 500 (and logs) for a code nobody registered.
 */
export function registerErrorCodes<Code extends string>(map: Record<Code, number>): void {
  for (const [code, status] of Object.entries<number>(map)) statusByCode.set(code, status);
}

export function statusOfCode(code: string): number | undefined {
  return statusByCode.get(code);
}
