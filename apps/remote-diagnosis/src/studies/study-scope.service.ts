import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Principal } from '@countylink/auth';
import { DomainException } from '@countylink/platform';
import { DiagnosisErrorCode } from '../diagnosis.exception';
import { DIAGNOSIS_DATA_SOURCE } from '../remote-diagnosis.constants';
import { liveShare } from '../sharing/live-share';
import { ReferralShare } from '../sharing/referral-share.entity';
import { Instance } from './instance.entity';
import { StudyQueryRepository } from './study-query.repository';
import { Study } from './study.entity';

/**
 * Who sees a study: the institution that uploaded it, the institution asked to read it, and (结果互认)
 * an institution that a live referral of the patient from the uploader was sent to (live-share.ts); the queries that
 * apply the rule are StudyQueryRepository's. Everything else
 * answers 404, so study UIDs cannot be probed.
 */
@Injectable()
export class StudyScope {
  constructor(
    @InjectDataSource(DIAGNOSIS_DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly index: StudyQueryRepository,
  ) {}

  /** Whether a live referral shares `holder`'s results for `patientId` with the principal's institution. */
  async sharedWith(manager: EntityManager, principal: Principal, holder: string, patientId: string): Promise<boolean> {
    return manager.exists(ReferralShare, {
      where: { toInstitutionId: principal.institutionId, fromInstitutionId: holder, patientId, ...liveShare() },
    });
  }

  async study(
    principal: Principal,
    studyUid: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Study> {
    const study = await this.index.visibleStudy(manager, principal, studyUid);
    if (!study) throw new DomainException(DiagnosisErrorCode.DICOM_NOT_FOUND, `No study ${studyUid}`);
    return study;
  }

  async instance(principal: Principal, studyUid: string, seriesUid: string, sopUid: string): Promise<Instance> {
    await this.study(principal, studyUid);
    const instance = await this.dataSource.manager.findOneBy(Instance, {
      studyInstanceUid: studyUid,
      seriesInstanceUid: seriesUid,
      sopInstanceUid: sopUid,
    });
    if (!instance)
      throw new DomainException(DiagnosisErrorCode.DICOM_NOT_FOUND, `No instance ${sopUid} in that series`);
    return instance;
  }
}
