import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { EventPayload } from '@countylink/contracts';
import { applyMemberUpserted } from '@countylink/messaging';
import { KnownDepartment, KnownInstitution, KnownMember } from './directory-replica.entities';

export type Duty = 'on-duty' | 'department-head' | 'coordinator';

/** Keeps the directory replica up to date from directory events, and answers who-is-who questions. */
@Injectable()
export class DirectoryReplica {
  async applyInstitution(
    manager: EntityManager,
    payload: EventPayload<'countylink.directory.institution-upserted.v1'>,
  ): Promise<void> {
    const inst = payload.institution;
    if (!inst?.id) return;
    await manager.upsert(KnownInstitution, { id: inst.id, name: inst.name, parentId: inst.parentId || null }, ['id']);
    const departments = inst.departments
      .filter((d) => d.id)
      .map((d) => ({ institutionId: inst.id, id: d.id, name: d.name, specialty: d.specialty }));
    if (departments.length > 0) await manager.upsert(KnownDepartment, departments, ['institutionId', 'id']);
  }

  async applyMember(
    manager: EntityManager,
    payload: EventPayload<'countylink.directory.member-upserted.v1'>,
  ): Promise<void> {
    await applyMemberUpserted(manager, payload);
  }

  member(manager: EntityManager, id: string): Promise<KnownMember | null> {
    return manager.findOneBy(KnownMember, { id });
  }

  department(manager: EntityManager, institutionId: string, id: string): Promise<KnownDepartment | null> {
    return manager.findOneBy(KnownDepartment, { institutionId, id });
  }

  /** Members with a duty in a department (or, without a department, anywhere in the institution). */
  async withDuty(
    manager: EntityManager,
    duty: Duty,
    institutionId: string,
    departmentId?: string | null,
  ): Promise<KnownMember[]> {
    return manager.find(KnownMember, {
      where: departmentId ? { duty, institutionId, departmentId } : { duty, institutionId },
      order: { id: 'ASC' },
    });
  }

  /**
   * Coordinators of the institution, or of the nearest institution above it that has some: a
   * township centre's alerts climb to the county referral office.
   */
  async coordinatorsFor(manager: EntityManager, institutionId: string): Promise<KnownMember[]> {
    const seen = new Set<string>();
    for (let id: string | null = institutionId; id && !seen.has(id);) {
      seen.add(id);
      const found = await this.withDuty(manager, 'coordinator', id);
      if (found.length > 0) return found;
      id = (await manager.findOneBy(KnownInstitution, { id }))?.parentId ?? null;
    }
    return [];
  }
}
