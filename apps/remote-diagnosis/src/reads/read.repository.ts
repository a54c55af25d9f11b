import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { DIAGNOSIS_DATA_SOURCE } from '../remote-diagnosis.constants';
import { ListReadsQuery } from './dtos/list-reads.query';
import { Read } from './read.entity';

/** The SQL of `read` rows that the service does not write through the entity manager. */
@Injectable()
export class ReadRepository {
  constructor(@InjectDataSource(DIAGNOSIS_DATA_SOURCE) private readonly dataSource: DataSource) {}

  /**
   * Inserts a new read inside the caller's transaction, under a savepoint: false (and the
   * transaction still usable) when its accession number is already taken in its institution.
   */
  async insertUnlessAccessionTaken(manager: EntityManager, read: Read): Promise<boolean> {
    await manager.query('SAVEPOINT order_read');
    try {
      await manager.insert(Read, read);
      return true;
    } catch (err) {
      if (!(err instanceof QueryFailedError && (err.driverError as { code?: string }).code === '23505')) throw err;
      await manager.query('ROLLBACK TO SAVEPOINT order_read');
      return false;
    }
  }

  /**
   * One page of reads and the count of all that match. `reader`: the reading institution's worklist
   * (ready and claimed unless the query names statuses; priority, then deadline); else the reads the
   * institution `me` asked for, newest first.
   */
  page(me: string, reader: boolean, query: ListReadsQuery): Promise<[Read[], number]> {
    const qb = this.dataSource.manager.createQueryBuilder(Read, 'r');
    if (reader) {
      qb.where('r.readingInstitutionId = :me', { me });
      qb.andWhere('r.status IN (:...status)', { status: query.status?.length ? query.status : ['ready', 'claimed'] });
      qb.orderBy(`CASE r.priority WHEN 'emergency' THEN 0 WHEN 'urgent' THEN 1 ELSE 2 END`, 'ASC')
        .addOrderBy('r.dueAt', 'ASC', 'NULLS LAST')
        .addOrderBy('r.createdAt', 'ASC');
    } else {
      qb.where('r.requestingInstitutionId = :me', { me });
      if (query.status?.length) qb.andWhere('r.status IN (:...status)', { status: query.status });
      qb.orderBy('r.createdAt', 'DESC');
    }
    if (query.modality) qb.andWhere('r.modality = :modality', { modality: query.modality });
    if (query.priority) qb.andWhere('r.priority = :priority', { priority: query.priority });
    if (query.department) qb.andWhere('r.readingDepartmentId = :department', { department: query.department });
    if (query.patientId) qb.andWhere('r.patientId = :patientId', { patientId: query.patientId });
    if (query.requestedBy) qb.andWhere('r.requestingInstitutionId = :requestedBy', { requestedBy: query.requestedBy });
    return qb
      .addOrderBy('r.id')
      .skip(query.offset ?? 0)
      .take(query.limit ?? 50)
      .getManyAndCount();
  }
}
