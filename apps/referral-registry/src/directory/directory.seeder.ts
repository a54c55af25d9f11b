import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { isDeepStrictEqual } from 'node:util';
import { DataSource, EntityManager } from 'typeorm';
import { InstitutionKind as InstitutionKindProto } from '@countylink/contracts';
import { EventPublisher } from '@countylink/messaging';
import { REFERRAL_DATA_SOURCE } from '../referral-registry.constants';
import { DepartmentRow, InstitutionRow, MemberRow, TownshipCatalogEntry } from './directory.entities';
import { DirectorySeed, SeedInstitution, SeedMember } from './directory-seed';
import { DirectorySeedRepository } from './directory-seed.repository';

const KIND: Record<SeedInstitution['kind'], InstitutionKindProto> = {
  'county-hospital': InstitutionKindProto.COUNTY_HOSPITAL,
  'township-centre': InstitutionKindProto.TOWNSHIP_CENTRE,
  'community-centre': InstitutionKindProto.COMMUNITY_CENTRE,
  'village-clinic': InstitutionKindProto.VILLAGE_CLINIC,
};

/**
 * Loads a seed into the directory and publishes a directory event for every institution or member
 * that is new or changed — so a restart with the same seed publishes nothing.
 */
@Injectable()
export class DirectorySeeder {
  private readonly logger = new Logger(DirectorySeeder.name);

  constructor(
    @InjectDataSource(REFERRAL_DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
    private readonly seeds: DirectorySeedRepository,
  ) {}

  async load(seed: DirectorySeed): Promise<{ institutions: number; members: number }> {
    return this.dataSource.transaction(async (manager) => {
      // Two instances starting together must not both publish the same changes.
      await this.seeds.lockSeeding(manager);
      let institutions = 0;
      let members = 0;
      for (const inst of seed.institutions) if (await this.upsertInstitution(manager, inst)) institutions++;
      for (const member of seed.members) if (await this.upsertMember(manager, member)) members++;
      await manager.upsert(
        TownshipCatalogEntry,
        seed.townshipCatalog.map(({ code, display }) => ({ code, display })),
        ['code'],
      );
      this.logger.log(`directory seed: ${institutions} institutions and ${members} members new or changed`);
      return { institutions, members };
    });
  }

  private async upsertInstitution(manager: EntityManager, inst: SeedInstitution): Promise<boolean> {
    const row = { id: inst.id, name: inst.name, kind: inst.kind, parentId: inst.parentId ?? null };
    const departments = inst.departments.map((d) => ({
      institutionId: inst.id,
      id: d.id,
      name: d.name,
      specialty: d.specialty,
    }));
    const existing = await manager.findOneBy(InstitutionRow, { id: inst.id });
    const existingDepartments = await manager.find(DepartmentRow, {
      where: { institutionId: inst.id },
      order: { id: 'ASC' },
    });
    const sorted = [...departments].sort((a, b) => a.id.localeCompare(b.id));
    if (
      existing &&
      isDeepStrictEqual({ ...existing }, row) &&
      isDeepStrictEqual(
        existingDepartments.map((d) => ({ ...d })),
        sorted,
      )
    ) {
      return false;
    }
    await manager.upsert(InstitutionRow, row, ['id']);
    if (departments.length > 0) await manager.upsert(DepartmentRow, departments, ['institutionId', 'id']);
    await this.events.publish(manager, 'countylink.directory.institution-upserted.v1', inst.id, {
      institution: {
        id: inst.id,
        name: inst.name,
        kind: KIND[inst.kind],
        parentId: inst.parentId ?? '',
        departments: inst.departments,
      },
    });
    return true;
  }

  private async upsertMember(manager: EntityManager, member: SeedMember): Promise<boolean> {
    const row = {
      id: member.id,
      name: member.name,
      institutionId: member.institutionId,
      departmentId: member.departmentId ?? null,
      roles: member.roles,
      duty: member.duty ?? null,
    };
    const existing = await manager.findOneBy(MemberRow, { id: member.id });
    if (existing && isDeepStrictEqual({ ...existing }, row)) return false;
    await manager.upsert(MemberRow, row, ['id']);
    await this.events.publish(manager, 'countylink.directory.member-upserted.v1', member.id, {
      member: { ...member, departmentId: member.departmentId ?? '', duty: member.duty ?? '' },
    });
    return true;
  }
}
