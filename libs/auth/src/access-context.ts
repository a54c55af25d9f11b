import type { Request } from 'express';

/** Why and in which request patient data is read: what the access audit records beside the principal. */
export interface AccessContext {
  reason: string;
  requestId?: string;
}

/** How much of a caller's stated reason the audit keeps. */
export const ACCESS_REASON_MAX_LENGTH = 200;

/**
 * The one builder of the access context: the caller's stated reason (X-Access-Reason, cut to 200
 * characters), or the route's default purpose (`care`, `worklist`, `fhir` …) when none or an
 * empty one was given, and the request's id.
 */
export function accessContext(req: Request, reason: string | undefined, fallback: string): AccessContext {
  return {
    reason: reason?.slice(0, ACCESS_REASON_MAX_LENGTH) || fallback,
    requestId: req.id === undefined ? undefined : String(req.id),
  };
}
