import { EntityManager } from 'typeorm';
import { AuditEntry } from './audit-entry.entity';

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

/** Several audit rows in one INSERT (the pushes of a moment, batched). */
export async function recordAudits(
  manager: EntityManager,
  entries: ReadonlyArray<{ actor: AuditActor; record: AuditRecord }>,
): Promise<void> {
  if (entries.length === 0) return;
  await manager.insert(
    AuditEntry,
    entries.map(({ actor, record }) => ({
      actorSubject: actor.sub,
      actorInstitutionId: actor.institutionId,
      actorRoles: actor.roles,
      action: record.action,
      resourceType: record.resourceType,
      resourceId: record.resourceId ?? null,
      resourceIds: record.resourceIds ?? [],
      reason: record.reason,
      requestId: record.requestId ?? null,
    })),
  );
}
