import type { NextFunction, Request, Response } from 'express';
import { CommonErrorCode, userMessageOfCode } from '../errors/error-codes';

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

/**
 * The JSON API takes JSON only: a form or text body would otherwise be read as an empty object and
 * fail validation with a misleading message. DICOMweb routes (multipart) are not under /api.
 */
export function requireJsonBodies(req: Request, res: Response, next: NextFunction): void {
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (WITH_BODY.has(req.method) && req.path.startsWith('/api/') && hasBody && !req.is('application/json')) {
    res.status(415).json({
      error: {
        code: CommonErrorCode.UNSUPPORTED_MEDIA_TYPE,
        message: `Send application/json, not ${req.headers['content-type'] ?? 'no content type'}`,
        userMessage: userMessageOfCode(CommonErrorCode.UNSUPPORTED_MEDIA_TYPE),
      },
    });
    return;
  }
  next();
}
