/** A token `decodeCursorToken` cannot read: not base64url of JSON, so not one the API handed out. */
export class MalformedCursorError extends Error {
  constructor() {
    super('the cursor is not one this API returned');
    this.name = 'MalformedCursorError';
  }
}

/**
 * The one codec of paging cursors: a position (any JSON value, e.g. `[createdAt, id]` or room →
 * seq) as the opaque token an API hands out — JSON in base64url, safe in a query string.
 */
export function encodeCursorToken(position: unknown): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/** The position a token of `encodeCursorToken` carries; checking its shape is the caller's. Throws `MalformedCursorError`. */
export function decodeCursorToken(token: string): unknown {
  try {
    return JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw new MalformedCursorError();
  }
}
