import { createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { DomainException, CommonErrorCode } from '@countylink/platform';
import { IdempotencyRecord } from './idempotency-record.entity';
import { insertOnce } from './insert-once';

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
 * Runs `work` at most once per (scope, key). The first insert of the key row takes the unique index;
 * a concurrent request with the same key waits on it and then replays the committed answer.
 */
export async function runIdempotent<T>(
  dataSource: DataSource,
  scope: string,
  key: string,
  requestBody: unknown,
  work: (manager: EntityManager) => Promise<{ status: number; body: T }>,
): Promise<IdempotentResult<T>> {
  const requestHash = hashOf(requestBody);
  return dataSource.transaction(async (manager) => {
    if (
      !(await insertOnce(manager, IdempotencyRecord, {
        scope,
        key,
        requestHash,
        responseStatus: null,
        responseBody: null,
      }))
    ) {
      const existing = await manager.findOneByOrFail(IdempotencyRecord, { scope, key });
      if (existing.requestHash !== requestHash) {
        throw new DomainException(
          CommonErrorCode.IDEMPOTENCY_KEY_REUSED,
          'This Idempotency-Key was already used with a different request body',
        );
      }
      return { status: existing.responseStatus ?? 200, body: existing.responseBody as T, replayed: true };
    }
    const result = await work(manager);
    await manager.update(
      IdempotencyRecord,
      { scope, key },
      { responseStatus: result.status, responseBody: result.body as unknown as object },
    );
    return { ...result, replayed: false };
  });
}
