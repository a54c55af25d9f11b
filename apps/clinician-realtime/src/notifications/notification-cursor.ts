import { decodeCursorToken, encodeCursorToken } from '@countylink/platform';

/**
 * A position in every room a client is in: room → last seq seen. Clients hand it back as
 * `lastSeen` on reconnect; over HTTP it travels as an opaque base64url token.
 */
export type Cursor = Record<string, number>;

const MAX_ROOMS = 64;
const SCOPE = /^[\w:.-]{1,200}$/;

export class InvalidCursorError extends Error {}

/** Checks a client-sent cursor; throws `InvalidCursorError` naming what is wrong. */
export function parseCursor(value: unknown): Cursor {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new InvalidCursorError('a cursor is an object of room → last seq');
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > MAX_ROOMS) throw new InvalidCursorError(`a cursor names at most ${MAX_ROOMS} rooms`);
  const cursor: Cursor = {};
  for (const [scope, seq] of entries) {
    if (!SCOPE.test(scope)) throw new InvalidCursorError(`"${scope.slice(0, 40)}" is not a room name`);
    if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0)
      throw new InvalidCursorError(`the seq of ${scope} must be a whole number ≥ 0`);
    cursor[scope] = seq;
  }
  return cursor;
}

export function encodeCursor(cursor: Cursor): string {
  return encodeCursorToken(cursor);
}

export function decodeCursor(token: string): Cursor {
  let value: unknown;
  try {
    value = decodeCursorToken(token);
  } catch {
    throw new InvalidCursorError('the cursor is not one this API returned');
  }
  return parseCursor(value);
}

/** The cursor restricted to the rooms a caller is in (others are ignored, never read). */
export function positionsIn(scopes: readonly string[], cursor: Cursor, missing: number): Cursor {
  return Object.fromEntries(scopes.map((s) => [s, cursor[s] ?? missing]));
}
