/** Codes every app shares; each module adds its own enum and registers its status and message map. */
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

/**
 * What the registry holds for a code: the HTTP status, and the sentence the console shows the
 * clinician (简体中文, short, what they can do). The developer's message (English, with the
 * particulars) stays the exception's own `message`.
 */
export interface ErrorCodeEntry {
  status: number;
  userMessage: string;
}

const registry = new Map<string, ErrorCodeEntry & { module: string }>();

/**
 * A module registers its whole code enum with a `Record<Code, { status, userMessage }>`, so the
 * compiler refuses a code without a status or a message; the filter answers 500 (and logs) for a
 * code nobody registered. A code already registered by another module throws (at import, so at
 * startup): two modules cannot both own a code.
 */
export function registerErrorCodes<Code extends string>(module: string, map: Record<Code, ErrorCodeEntry>): void {
  for (const [code, entry] of Object.entries<ErrorCodeEntry>(map)) {
    const prior = registry.get(code);
    if (prior && prior.module !== module)
      throw new Error(`error code ${code} is registered by both ${prior.module} and ${module}`);
    registry.set(code, { module, status: entry.status, userMessage: entry.userMessage });
  }
}

registerErrorCodes<CommonErrorCode>('platform', {
  [CommonErrorCode.VALIDATION_FAILED]: { status: 400, userMessage: '填写的内容不符合要求' },
  [CommonErrorCode.MALFORMED_BODY]: { status: 400, userMessage: '提交的数据有误，请刷新页面后重试' },
  [CommonErrorCode.UNAUTHENTICATED]: { status: 401, userMessage: '登录已失效，请重新登录' },
  [CommonErrorCode.FORBIDDEN]: { status: 403, userMessage: '您的角色无权进行此操作' },
  [CommonErrorCode.NOT_FOUND]: { status: 404, userMessage: '不存在或无权访问' },
  [CommonErrorCode.PAYLOAD_TOO_LARGE]: { status: 413, userMessage: '提交的内容过大，请精简后重试' },
  [CommonErrorCode.UNSUPPORTED_MEDIA_TYPE]: { status: 415, userMessage: '提交的数据格式不受支持，请刷新页面后重试' },
  [CommonErrorCode.IDEMPOTENCY_KEY_REUSED]: {
    status: 422,
    userMessage: '该操作已以不同内容提交过，请刷新页面后重新操作',
  },
  [CommonErrorCode.CONFLICT]: { status: 409, userMessage: '数据已被他人修改，请刷新后重试' },
  [CommonErrorCode.NOT_READY]: { status: 503, userMessage: '服务暂时不可用，请稍后重试' },
  [CommonErrorCode.INTERNAL]: { status: 500, userMessage: '服务器暂时无法处理，请稍后重试' },
});

export function statusOfCode(code: string): number | undefined {
  return registry.get(code)?.status;
}

/** The clinician's sentence for a code, or undefined for a code nobody registered. */
export function userMessageOfCode(code: string): string | undefined {
  return registry.get(code)?.userMessage;
}

/** Every registered code with its owning module, for the checks that each thrown code is registered. */
export function registeredErrorCodes(): ReadonlyMap<string, ErrorCodeEntry & { module: string }> {
  return registry;
}
