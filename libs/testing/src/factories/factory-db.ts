import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/** Where a factory writes: an app's data source, or the manager of a transaction on it. */
export type FactoryDb = DataSource | EntityManager;

/**
 * The manager to write `entity` with. Every app keeps its tables in a schema of its own, so a row
 * must go through the data source of the app that owns the entity: another app's is refused here,
 * with its name, rather than failing later on a missing table.
 */
export function factoryManager<T extends ObjectLiteral>(
  db: FactoryDb,
  entity: EntityTarget<T>,
  owner: string,
): EntityManager {
  const manager = db instanceof DataSource ? db.manager : db;
  if (!manager.connection.hasMetadata(entity)) {
    const name = typeof entity === 'function' ? entity.name : String(entity);
    throw new Error(`${name} is not an entity of this data source: pass the data source of ${owner}`);
  }
  return manager;
}

/** Eight hex characters, for ids and patient ids that do not collide between tests. */
export function shortId(): string {
  return randomUUID().replace(/-/g, '').slice(0, 8);
}
