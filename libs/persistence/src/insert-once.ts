import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';

/**
 * Inserts the row unless one with the same key is already there (`ON CONFLICT DO NOTHING`, any
 * unique constraint), inside the caller's transaction: true when this call inserted it. A
 * concurrent transaction inserting the same key waits on it and then gets false, so whatever the
 * caller does only when it inserted (apply an event, run a request) happens once.
 */
export async function insertOnce<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  row: QueryDeepPartialEntity<T>,
): Promise<boolean> {
  const key = manager.connection.getMetadata(target).primaryColumns.map((column) => column.databaseName);
  const inserted = await manager
    .createQueryBuilder()
    .insert()
    .into(target)
    .values(row)
    .orIgnore()
    .returning(key)
    .execute();
  return (inserted.raw as unknown[]).length > 0;
}
