import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { REFERRAL_DATA_SOURCE } from '../referral-registry.constants';
import { DepartmentRow, InstitutionRow, MemberRow, TownshipCatalogEntry } from './directory.entities';

export interface InstitutionView extends InstitutionRow {
  departments: Array<Pick<DepartmentRow, 'id' | 'name' | 'specialty'>>;
}

/** The group's directory as this app keeps it (it is the directory's owner and publisher). */
@Injectable()
export class DirectoryService {
  constructor(@InjectDataSource(REFERRAL_DATA_SOURCE) private readonly dataSource: DataSource) {}

  findInstitution(id: string, manager: EntityManager = this.dataSource.manager): Promise<InstitutionRow | null> {
    return manager.findOneBy(InstitutionRow, { id });
  }

  findDepartment(
    institutionId: string,
    id: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<DepartmentRow | null> {
    return manager.findOneBy(DepartmentRow, { institutionId, id });
  }

  async listInstitutions(): Promise<InstitutionView[]> {
    const [institutions, departments] = await Promise.all([
      this.dataSource.manager.find(InstitutionRow, { order: { id: 'ASC' } }),
      this.dataSource.manager.find(DepartmentRow, { order: { id: 'ASC' } }),
    ]);
    return institutions.map((i) => ({
      ...i,
      departments: departments
        .filter((d) => d.institutionId === i.id)
        .map(({ id, name, specialty }) => ({ id, name, specialty })),
    }));
  }

  listMembers(institutionId?: string): Promise<MemberRow[]> {
    return this.dataSource.manager.find(MemberRow, {
      where: institutionId ? { institutionId } : {},
      order: { id: 'ASC' },
    });
  }

  async townshipCatalogCodes(manager: EntityManager = this.dataSource.manager): Promise<string[]> {
    return (await manager.find(TownshipCatalogEntry)).map((e) => e.code);
  }

  townshipCatalog(): Promise<TownshipCatalogEntry[]> {
    return this.dataSource.manager.find(TownshipCatalogEntry, { order: { code: 'ASC' } });
  }
}
