import { createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { DomainException, CommonErrorCode } from '@countylink/platform';
import { IdempotencyRecord } from './idempotency-record.entity';

export interface IdempotentResult<T> {
  status: number;
  body: T;
  replayed: boolean;
}

const KEY = /^[\w.:-]{8,128}$/;

export function requireIdempotencyKey(value: string | undefined): string {
  if (!value || !KEY.test(value)) {
    throw new DomainException(
      CommonErrorCode.VALIDATION_FAILED,
      'Header Idempotency-Key is required: 8–128 characters of letters, digits, . _ : -',
    );
  }
  return value;
}

function hashOf(body: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(body ?? null))
    .digest('hex');
}

/**
 * Runs `work` at most once per (scope, key). The key's row is written last, with the answer, in the
 * work's transaction: a first request pays one statement for it. A retry of a committed request fails
 * on the unique index (or on what the first one changed), rolls back and replays the stored answer; a
 * concurrent one waits on the index until the first commits, then does the same.
 */
export async function runIdempotent<T>(
  dataSource: DataSource,
  scope: string,
  key: string,
  requestBody: unknown,
  work: (manager: EntityManager) => Promise<{ status: number; body: T }>,
): Promise<IdempotentResult<T>> {
  const requestHash = hashOf(requestBody);
  try {
    return await dataSource.transaction(async (manager) => {
      const result = await work(manager);
      await manager.insert(IdempotencyRecord, {
        scope,
        key,
        requestHash,
        responseStatus: result.status,
        responseBody: result.body as unknown as object,
      });
      return { ...result, replayed: false };
    });
  } catch (err) {
    const existing = await dataSource.manager.findOneBy(IdempotencyRecord, { scope, key }).catch(() => null);
    if (!existing) throw err;
    if (existing.requestHash !== requestHash) {
      throw new DomainException(
        CommonErrorCode.IDEMPOTENCY_KEY_REUSED,
        'This Idempotency-Key was already used with a different request body',
      );
    }
    return { status: existing.responseStatus ?? 200, body: existing.responseBody as T, replayed: true };
  }
}
