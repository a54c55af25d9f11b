import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Read } from '../reads/read.entity';
import { DIAGNOSIS_DATA_SOURCE } from '../remote-diagnosis.constants';
import { hasWildcard, likePattern, WorklistCriteria } from './worklist-query';

/** More scheduled steps than a township station works through in days; a query past it gets the oldest. */
export const WORKLIST_LIMIT = 500;

/**
 * The modality worklist of one institution: its reads still waiting for images (`requested`),
 * oldest first. Read-only, and the institution is a parameter of the one query there is — a
 * station can only ever be shown the orders of the institution its AE title is mapped to.
 */
@Injectable()
export class WorklistRepository {
  constructor(@InjectDataSource(DIAGNOSIS_DATA_SOURCE) private readonly dataSource: DataSource) {}

  scheduled(institutionId: string, criteria: WorklistCriteria): Promise<Read[]> {
    const q = this.dataSource
      .getRepository(Read)
      .createQueryBuilder('r')
      .where('r.requestingInstitutionId = :institutionId', { institutionId })
      .andWhere("r.status = 'requested'");
    const text = (column: string, name: string, value: string | undefined, caseless = false) => {
      if (value === undefined) return;
      if (!hasWildcard(value))
        q.andWhere(caseless ? `lower(${column}) = lower(:${name})` : `${column} = :${name}`, { [name]: value });
      else q.andWhere(`${column} ${caseless ? 'ILIKE' : 'LIKE'} :${name} ESCAPE '\\'`, { [name]: likePattern(value) });
    };
    text('r.patientId', 'patientId', criteria.patientId);
    text('r.accessionNumber', 'accessionNumber', criteria.accessionNumber);
    text('r.patientName', 'patientName', criteria.patientName, true);
    if (criteria.modalities) q.andWhere('r.modality IN (:...modalities)', { modalities: criteria.modalities });
    if (criteria.scheduledFrom) q.andWhere('r.createdAt >= :from', { from: criteria.scheduledFrom });
    if (criteria.scheduledBefore) q.andWhere('r.createdAt < :before', { before: criteria.scheduledBefore });
    return q.orderBy('r.createdAt', 'ASC').addOrderBy('r.id', 'ASC').limit(WORKLIST_LIMIT).getMany();
  }
}
