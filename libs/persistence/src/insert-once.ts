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

/**
 * `insertOnce` for many rows in one statement: the key columns (by their database names) of the
 * rows this call inserted. TypeORM's RETURNING would give the generated columns instead, so the
 * statement is built here. Only the rows' own columns are written; the rest take their defaults.
 */
export async function insertEachOnce<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  rows: ReadonlyArray<Record<string, string | number | boolean | Date | null>>,
): Promise<Array<Record<string, unknown>>> {
  if (rows.length === 0) return [];
  const meta = manager.connection.getMetadata(target);
  const q = (name: string) => manager.connection.driver.escape(name);
  const table = meta.schema ? `${q(meta.schema)}.${q(meta.tableName)}` : q(meta.tableName);
  const props = Object.keys(rows[0]);
  const columns = props.map((p) => {
    const column = meta.findColumnWithPropertyName(p);
    if (!column) throw new Error(`${meta.name} has no column ${p}`);
    return column.databaseName;
  });
  const params: unknown[] = [];
  const values = rows.map((row) => `(${props.map((p) => (params.push(row[p]), `$${params.length}`)).join(', ')})`);
  const key = meta.primaryColumns.map((c) => c.databaseName);
  return manager.query(
    `INSERT INTO ${table} (${columns.map(q).join(', ')}) VALUES ${values.join(', ')}
     ON CONFLICT DO NOTHING RETURNING ${key.map(q).join(', ')}`,
    params,
  );
}
