import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource } from 'typeorm';
import { REFERRAL_DATA_SOURCE } from '../referral-registry.constants';
import { ListReferralsQuery } from './dtos/list-referrals.query';
import { Referral } from './referral.entity';

/** Where a page starts: after the referral created at `at` with id `id` (newest first, then id). */
export type ReferralCursor = [at: Date, id: string];

/** The SQL of `referral` rows that the service does not write through the entity manager. */
@Injectable()
export class ReferralRepository {
  constructor(@InjectDataSource(REFERRAL_DATA_SOURCE) private readonly dataSource: DataSource) {}

  /**
   * One page of referrals matching the filter, newest first (created_at, id descending), strictly
   * after `after`; `take` rows at most (callers ask one more than a page to know if another follows).
   * With `visibleTo`, only referrals that institution sent or received.
   */
  page(
    query: ListReferralsQuery,
    visibleTo: string | null,
    after: ReferralCursor | null,
    take: number,
  ): Promise<Referral[]> {
    const qb = this.dataSource.manager.createQueryBuilder(Referral, 'r');
    if (visibleTo !== null) qb.andWhere('(r.fromInstitutionId = :me OR r.toInstitutionId = :me)', { me: visibleTo });
    if (query.direction) qb.andWhere('r.direction = :direction', { direction: query.direction });
    if (query.status?.length) qb.andWhere('r.status IN (:...status)', { status: query.status });
    if (query.urgency) qb.andWhere('r.urgency = :urgency', { urgency: query.urgency });
    if (query.institutionId) {
      qb.andWhere('(r.fromInstitutionId = :inst OR r.toInstitutionId = :inst)', { inst: query.institutionId });
    }
    if (query.patientId) qb.andWhere('r.patientId = :patientId', { patientId: query.patientId });
    if (query.createdFrom) qb.andWhere('r.createdAt >= :createdFrom', { createdFrom: new Date(query.createdFrom) });
    if (query.createdTo) qb.andWhere('r.createdAt < :createdTo', { createdTo: new Date(query.createdTo) });
    if (after) {
      const [at, id] = after;
      qb.andWhere(
        new Brackets((w) =>
          w.where('r.createdAt < :at', { at }).orWhere('r.createdAt = :at AND r.id < :id', { at, id }),
        ),
      );
    }
    return qb.orderBy('r.createdAt', 'DESC').addOrderBy('r.id', 'DESC').take(take).getMany();
  }
}
