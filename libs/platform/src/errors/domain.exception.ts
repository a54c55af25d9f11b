/**
 * An error a caller can act on: a stable code (documented, machine-readable), a message for people
 * and optional details. HTTP status comes from the code's module map, never from the throw site.
 */
export class DomainException<Code extends string = string> extends Error {
  constructor(
    readonly code: Code,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainException';
  }
}

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown; requestId?: string };
}
