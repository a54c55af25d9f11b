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
  await manager.insert(AuditEntry, {
    actorSubject: actor.sub,
    actorInstitutionId: actor.institutionId,
    actorRoles: actor.roles,
    action: record.action,
    resourceType: record.resourceType,
    resourceId: record.resourceId ?? null,
    resourceIds: record.resourceIds ?? [],
    reason: record.reason,
    requestId: record.requestId ?? null,
  });
}
