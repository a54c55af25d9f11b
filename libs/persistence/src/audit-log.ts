import { EntityManager, EntityMetadata } from 'typeorm';
import { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { AuditEntry } from './audit-entry.entity';
import { quotedTablePath } from './table-path';

export interface AuditActor {
  sub: string;
  institutionId: string;
  roles: string[];
}

export interface AuditRecord {
  action: string;
  resourceType: string;
  resourceId?: string;
  resourceIds?: string[];
  reason: string;
  requestId?: string;
}

/** Writes the audit row with the read it describes, so no read goes unrecorded. */
export async function recordAudit(manager: EntityManager, actor: AuditActor, record: AuditRecord): Promise<void> {
  await recordAudits(manager, [{ actor, record }]);
}

/** The columns a caller writes (id and `at` are the database's), by property name. */
const WRITTEN = [
  'actorSubject',
  'actorInstitutionId',
  'actorRoles',
  'action',
  'resourceType',
  'resourceId',
  'resourceIds',
  'reason',
  'requestId',
] as const;
type Written = Record<(typeof WRITTEN)[number], unknown>;

/** The statement and its columns, worked out once per data source from the entity's metadata. */
const statements = new WeakMap<EntityMetadata, { sql: string; columns: ColumnMetadata[] }>();

function insertStatement(metadata: EntityMetadata): { sql: string; columns: ColumnMetadata[] } {
  let statement = statements.get(metadata);
  if (!statement) {
    const columns = WRITTEN.map((property) => metadata.findColumnWithPropertyName(property)!);
    const names = columns.map((c) => `"${c.databaseName}"`).join(', ');
    const shape = columns.map((c) => `"${c.databaseName}" ${String(c.type)}${c.isArray ? '[]' : ''}`).join(', ');
    statement = {
      sql: `INSERT INTO ${quotedTablePath(metadata)} (${names}) SELECT ${names} FROM jsonb_to_recordset($1::jsonb) AS r(${shape})`,
      columns,
    };
    statements.set(metadata, statement);
  }
  return statement;
}

/**
 * Several audit rows in one INSERT (the pushes of a moment, batched), the rows as one JSON
 * parameter. TypeORM's insert builder checks every parameter against all the others, so the
 * thousand rows of a broadcast cost it seconds of CPU; this costs one JSON.stringify.
 */
export async function recordAudits(
  manager: EntityManager,
  entries: ReadonlyArray<{ actor: AuditActor; record: AuditRecord }>,
): Promise<void> {
  if (entries.length === 0) return;
  const { sql, columns } = insertStatement(manager.connection.getMetadata(AuditEntry));
  const rows = entries.map(({ actor, record }) => {
    const values: Written = {
      actorSubject: actor.sub,
      actorInstitutionId: actor.institutionId,
      actorRoles: actor.roles,
      action: record.action,
      resourceType: record.resourceType,
      resourceId: record.resourceId ?? null,
      resourceIds: record.resourceIds ?? [],
      reason: record.reason,
      requestId: record.requestId ?? null,
    };
    return Object.fromEntries(columns.map((c) => [c.databaseName, values[c.propertyName as keyof Written]]));
  });
  await manager.query(sql, [JSON.stringify(rows)]);
}
