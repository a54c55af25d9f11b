import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { Principal } from '@countylink/auth';
import { DomainException } from '@countylink/platform';
import { DiagnosisErrorCode } from '../diagnosis.exception';
import { Read } from '../reads/read.entity';
import { DIAGNOSIS_DATA_SOURCE } from '../remote-diagnosis.constants';
import { liveShare, liveShareSql } from '../sharing/live-share';
import { ReferralShare } from '../sharing/referral-share.entity';
import { Instance } from './instance.entity';
import { Study } from './study.entity';

/**
 * Who sees a study: the institution that uploaded it, the institution asked to read it, and (结果互认)
 * an institution that a live referral of the patient from the uploader was sent to (live-share.ts). Everything else
 * answers 404, so study UIDs cannot be probed.
 */
@Injectable()
export class StudyScope {
  constructor(@InjectDataSource(DIAGNOSIS_DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** Narrows a query on `Study` (aliased `alias`) to what the principal may see. */
  restrict<T extends object>(qb: SelectQueryBuilder<T>, principal: Principal, alias = 's'): SelectQueryBuilder<T> {
    const shared = qb
      .subQuery()
      .select('1')
      .from(ReferralShare, 'scope_share')
      .where(`scope_share.toInstitutionId = :scopeMe AND scope_share.fromInstitutionId = ${alias}.institutionId AND scope_share.patientId = ${alias}.patientId AND ${liveShareSql('scope_share')}`)
      .getQuery();
    return qb
      .leftJoin(Read, 'scope_read', `scope_read.id = ${alias}.readId`)
      .andWhere(`(${alias}.institutionId = :scopeMe OR scope_read.readingInstitutionId = :scopeMe OR EXISTS ${shared})`, { scopeMe: principal.institutionId });
  }

  /** Whether a live referral shares `holder`'s results for `patientId` with the principal's institution. */
  async sharedWith(manager: EntityManager, principal: Principal, holder: string, patientId: string): Promise<boolean> {
    return manager.exists(ReferralShare, { where: { toInstitutionId: principal.institutionId, fromInstitutionId: holder, patientId, ...liveShare() } });
  }

  async study(principal: Principal, studyUid: string, manager: EntityManager = this.dataSource.manager): Promise<Study> {
    const qb = manager.createQueryBuilder(Study, 's').where('s.studyInstanceUid = :studyUid', { studyUid });
    const study = await this.restrict(qb, principal).getOne();
    if (!study) throw new DomainException(DiagnosisErrorCode.DICOM_NOT_FOUND, `No study ${studyUid}`);
    return study;
  }

  async instance(principal: Principal, studyUid: string, seriesUid: string, sopUid: string): Promise<Instance> {
    await this.study(principal, studyUid);
    const instance = await this.dataSource.manager.findOneBy(Instance, { studyInstanceUid: studyUid, seriesInstanceUid: seriesUid, sopInstanceUid: sopUid });
    if (!instance) throw new DomainException(DiagnosisErrorCode.DICOM_NOT_FOUND, `No instance ${sopUid} in that series`);
    return instance;
  }
}
