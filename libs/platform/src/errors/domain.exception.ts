/**
 * An error a caller can act on: a stable code (documented, machine-readable), a message for developers
 * and optional details. HTTP status and the clinician's message come from the code's module registry,
 * never from the throw site.
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
  /** `message` is the developer's (English, particulars); `userMessage` the registered sentence for the clinician (简体中文). */
  error: { code: string; message: string; details?: unknown; userMessage?: string; requestId?: string };
}
