import { EntityManager, EntityTarget, ObjectLiteral, QueryFailedError } from 'typeorm';

/**
 * Maps a row that `UPDATE … RETURNING *` gave back (snake_case columns) to the entity, so a
 * conditional update needs no second read while it holds the row lock.
 */
export function fromRaw<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  raw: Record<string, unknown>,
): T {
  const out: Record<string, unknown> = {};
  for (const column of manager.connection.getMetadata(entity).columns) {
    const value = raw[column.databaseName];
    const transformer = column.transformer;
    out[column.propertyName] = transformer && !Array.isArray(transformer) ? transformer.from(value) : value;
  }
  return out as T;
}

/** The name of the unique index a statement violated, if that is why it failed. */
export function uniqueViolation(err: unknown): string | undefined {
  if (!(err instanceof QueryFailedError)) return undefined;
  const driver = err.driverError as { code?: string; constraint?: string };
  return driver.code === '23505' ? driver.constraint : undefined;
}
