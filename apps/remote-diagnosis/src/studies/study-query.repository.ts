import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { Principal } from '@countylink/auth';
import { Read } from '../reads/read.entity';
import { DIAGNOSIS_DATA_SOURCE, DIAGNOSIS_SCHEMA } from '../remote-diagnosis.constants';
import { liveShareSql } from '../sharing/live-share';
import { ReferralShare } from '../sharing/referral-share.entity';
import { Instance } from './instance.entity';
import type { Condition } from './qido-matching';
import { Series } from './series.entity';
import { Study } from './study.entity';

/** The app's schema; the statements below name their tables through it. */
const S = DIAGNOSIS_SCHEMA;

export interface Page {
  limit: number;
  offset: number;
}

export interface StudyStats {
  uid: string;
  modalities: string[];
  series: number;
  instances: number;
}

/**
 * The SQL that reads the study index for QIDO-RS, WADO-RS and the scope rule (study-scope.service.ts):
 * every query on studies is narrowed by `restrict` to what the principal may see.
 */
@Injectable()
export class StudyQueryRepository {
  constructor(@InjectDataSource(DIAGNOSIS_DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** Narrows a query on `Study` (aliased `alias`) to what the principal may see. */
  restrict<T extends object>(qb: SelectQueryBuilder<T>, principal: Principal, alias = 's'): SelectQueryBuilder<T> {
    const shared = qb
      .subQuery()
      .select('1')
      .from(ReferralShare, 'scope_share')
      .where(
        `scope_share.toInstitutionId = :scopeMe AND scope_share.fromInstitutionId = ${alias}.institutionId AND scope_share.patientId = ${alias}.patientId AND ${liveShareSql('scope_share')}`,
      )
      .getQuery();
    return qb
      .leftJoin(Read, 'scope_read', `scope_read.id = ${alias}.readId`)
      .andWhere(
        `(${alias}.institutionId = :scopeMe OR scope_read.readingInstitutionId = :scopeMe OR EXISTS ${shared})`,
        { scopeMe: principal.institutionId },
      );
  }

  /** The study of that UID if the principal may see it. */
  visibleStudy(manager: EntityManager, principal: Principal, studyUid: string): Promise<Study | null> {
    const qb = manager.createQueryBuilder(Study, 's').where('s.studyInstanceUid = :studyUid', { studyUid });
    return this.restrict(qb, principal).getOne();
  }

  /** One page of the visible studies matching `conditions`, newest study date first. */
  studies(principal: Principal, conditions: Condition[], page: Page): Promise<Study[]> {
    const qb = this.restrict(this.dataSource.manager.createQueryBuilder(Study, 's').where('TRUE'), principal);
    for (const c of conditions) qb.andWhere(c.sql, c.params);
    return qb
      .orderBy('s.studyDate', 'DESC', 'NULLS LAST')
      .addOrderBy('s.createdAt', 'DESC')
      .addOrderBy('s.studyInstanceUid')
      .offset(page.offset)
      .limit(page.limit)
      .getMany();
  }

  /** Per study: its modalities, how many series and instances it has (studies without series are left out). */
  async studyStats(uids: string[]): Promise<StudyStats[]> {
    if (uids.length === 0) return [];
    return this.dataSource.query(
      `SELECT se.study_instance_uid AS uid, array_agg(DISTINCT se.modality) AS modalities, count(DISTINCT se.series_instance_uid)::int AS series,
              (SELECT count(*)::int FROM ${S}.instance i WHERE i.study_instance_uid = se.study_instance_uid) AS instances
         FROM ${S}.series se WHERE se.study_instance_uid = ANY($1) GROUP BY se.study_instance_uid`,
      [uids],
    );
  }

  /** One page of the series of visible studies (of `studyUid` only, if given) matching `conditions`. */
  series(principal: Principal, studyUid: string | undefined, conditions: Condition[], page: Page): Promise<Series[]> {
    const qb = this.dataSource.manager
      .createQueryBuilder(Series, 'se')
      .innerJoin(Study, 's', 's.studyInstanceUid = se.studyInstanceUid')
      .where('TRUE');
    this.restrict(qb, principal);
    if (studyUid) qb.andWhere('se.studyInstanceUid = :study', { study: studyUid });
    for (const c of conditions) qb.andWhere(c.sql, c.params);
    return qb
      .orderBy('se.seriesNumber', 'ASC', 'NULLS LAST')
      .addOrderBy('se.seriesInstanceUid')
      .offset(page.offset)
      .limit(page.limit)
      .getMany();
  }

  /** How many instances each series has (series without instances are left out). */
  async instanceCounts(seriesUids: string[]): Promise<Array<{ uid: string; n: number }>> {
    if (seriesUids.length === 0) return [];
    return this.dataSource.query(
      `SELECT series_instance_uid AS uid, count(*)::int AS n FROM ${S}.instance WHERE series_instance_uid = ANY($1) GROUP BY 1`,
      [seriesUids],
    );
  }

  /** One page of the instances of visible studies (within a study or series, if given) matching `conditions`, with each one's modality. */
  async instances(
    principal: Principal,
    within: { studyUid?: string; seriesUid?: string },
    conditions: Condition[],
    page: Page,
  ): Promise<{ instances: Instance[]; modality: Map<string, string> }> {
    const qb = this.dataSource.manager
      .createQueryBuilder(Instance, 'i')
      .innerJoin(Series, 'se', 'se.seriesInstanceUid = i.seriesInstanceUid')
      .innerJoin(Study, 's', 's.studyInstanceUid = i.studyInstanceUid')
      .addSelect('se.modality', 'modality')
      .where('TRUE');
    this.restrict(qb, principal);
    if (within.studyUid) qb.andWhere('i.studyInstanceUid = :study', { study: within.studyUid });
    if (within.seriesUid) qb.andWhere('i.seriesInstanceUid = :series', { series: within.seriesUid });
    for (const c of conditions) qb.andWhere(c.sql, c.params);
    qb.orderBy('i.seriesInstanceUid')
      .addOrderBy('i.instanceNumber', 'ASC', 'NULLS LAST')
      .addOrderBy('i.sopInstanceUid')
      .offset(page.offset)
      .limit(page.limit);
    const { entities, raw } = await qb.getRawAndEntities<{ modality: string; i_sop_instance_uid: string }>();
    return { instances: entities, modality: new Map(raw.map((r) => [r.i_sop_instance_uid, r.modality])) };
  }

  /** The newest visible studies of one patient of `holder`. */
  async studyUidsOfPatient(principal: Principal, holder: string, patientId: string, limit: number): Promise<string[]> {
    const qb = this.restrict(
      this.dataSource.manager
        .createQueryBuilder(Study, 's')
        .where('s.institutionId = :holder AND s.patientId = :patientId', { holder, patientId }),
      principal,
    );
    const studies = await qb
      .orderBy('s.studyDate', 'DESC', 'NULLS LAST')
      .addOrderBy('s.createdAt', 'DESC')
      .limit(limit)
      .getMany();
    return studies.map((s) => s.studyInstanceUid);
  }

  /** A study's series (by number) and instances (by number), in the caller's transaction. */
  seriesAndInstances(manager: EntityManager, studyUid: string): Promise<[Series[], Instance[]]> {
    return Promise.all([
      manager
        .createQueryBuilder(Series, 'se')
        .where('se.studyInstanceUid = :studyUid', { studyUid })
        .orderBy('se.seriesNumber', 'ASC', 'NULLS LAST')
        .addOrderBy('se.seriesInstanceUid')
        .getMany(),
      manager
        .createQueryBuilder(Instance, 'i')
        .where('i.studyInstanceUid = :studyUid', { studyUid })
        .orderBy('i.instanceNumber', 'ASC', 'NULLS LAST')
        .addOrderBy('i.sopInstanceUid')
        .getMany(),
    ]);
  }
}
