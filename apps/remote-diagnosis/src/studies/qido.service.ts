import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AccessContext, Principal } from '@countylink/auth';
import { recordAudit } from '@countylink/persistence';
import { DomainException } from '@countylink/platform';
import { DiagnosisErrorCode } from '../diagnosis.exception';
import type { DicomJson } from '../dicom/dicom-json';
import { DIAGNOSIS_DATA_SOURCE } from '../remote-diagnosis.constants';
import { Instance } from './instance.entity';
import { instanceJson, seriesJson, studyJson } from './qido-json';
import { Condition, matchConditions, pageOf, QueryKeyError, QueryLevel } from './qido-matching';
import { Series } from './series.entity';
import { Study } from './study.entity';
import { StudyScope } from './study-scope';

export interface StudyTree {
  study: Study;
  series: Array<{ series: Series; instances: Instance[] }>;
}

export interface QidoScope {
  studyUid?: string;
  seriesUid?: string;
}

/** QIDO-RS over the index, limited to the studies the caller may see; every answer is audited. */
@Injectable()
export class QidoService {
  constructor(
    @InjectDataSource(DIAGNOSIS_DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly scope: StudyScope,
  ) {}

  async studies(principal: Principal, query: Record<string, unknown>, baseUrl: string, access: AccessContext): Promise<DicomJson[]> {
    const { conditions, page } = this.parse(query, ['study']);
    const qb = this.scope.restrict(this.dataSource.manager.createQueryBuilder(Study, 's').where('TRUE'), principal);
    for (const c of conditions) qb.andWhere(c.sql, c.params);
    const studies = await qb.orderBy('s.studyDate', 'DESC', 'NULLS LAST').addOrderBy('s.createdAt', 'DESC').addOrderBy('s.studyInstanceUid')
      .offset(page.offset).limit(page.limit).getMany();
    const uids = studies.map((s) => s.studyInstanceUid);
    const stats: Array<{ uid: string; modalities: string[]; series: number; instances: number }> = uids.length === 0 ? [] : await this.dataSource.query(
      `SELECT se.study_instance_uid AS uid, array_agg(DISTINCT se.modality) AS modalities, count(DISTINCT se.series_instance_uid)::int AS series,
              (SELECT count(*)::int FROM diagnosis.instance i WHERE i.study_instance_uid = se.study_instance_uid) AS instances
         FROM diagnosis.series se WHERE se.study_instance_uid = ANY($1) GROUP BY se.study_instance_uid`, [uids]);
    await this.audit(principal, 'dicom.query.studies', uids, access);
    return studies.map((s) => studyJson(s, stats.find((x) => x.uid === s.studyInstanceUid) ?? { modalities: [], series: 0, instances: 0 }, baseUrl));
  }

  async series(principal: Principal, query: Record<string, unknown>, within: QidoScope, baseUrl: string, access: AccessContext): Promise<DicomJson[]> {
    const { conditions, page } = this.parse(query, within.studyUid ? ['series'] : ['study', 'series']);
    if (within.studyUid) await this.scope.study(principal, within.studyUid);
    const qb = this.dataSource.manager.createQueryBuilder(Series, 'se').innerJoin(Study, 's', 's.studyInstanceUid = se.studyInstanceUid').where('TRUE');
    this.scope.restrict(qb, principal);
    if (within.studyUid) qb.andWhere('se.studyInstanceUid = :study', { study: within.studyUid });
    for (const c of conditions) qb.andWhere(c.sql, c.params);
    const series = await qb.orderBy('se.seriesNumber', 'ASC', 'NULLS LAST').addOrderBy('se.seriesInstanceUid').offset(page.offset).limit(page.limit).getMany();
    const counts: Array<{ uid: string; n: number }> = series.length === 0 ? [] : await this.dataSource.query(
      'SELECT series_instance_uid AS uid, count(*)::int AS n FROM diagnosis.instance WHERE series_instance_uid = ANY($1) GROUP BY 1', [series.map((s) => s.seriesInstanceUid)]);
    await this.audit(principal, 'dicom.query.series', [...new Set(series.map((s) => s.studyInstanceUid))], access);
    return series.map((se) => seriesJson(se, counts.find((c) => c.uid === se.seriesInstanceUid)?.n ?? 0, baseUrl));
  }

  async instances(principal: Principal, query: Record<string, unknown>, within: QidoScope, baseUrl: string, access: AccessContext): Promise<DicomJson[]> {
    const levels: QueryLevel[] = within.seriesUid ? ['instance'] : within.studyUid ? ['series', 'instance'] : ['study', 'series', 'instance'];
    const { conditions, page } = this.parse(query, levels);
    if (within.studyUid) await this.scope.study(principal, within.studyUid);
    const qb = this.dataSource.manager.createQueryBuilder(Instance, 'i')
      .innerJoin(Series, 'se', 'se.seriesInstanceUid = i.seriesInstanceUid')
      .innerJoin(Study, 's', 's.studyInstanceUid = i.studyInstanceUid')
      .addSelect('se.modality', 'modality')
      .where('TRUE');
    this.scope.restrict(qb, principal);
    if (within.studyUid) qb.andWhere('i.studyInstanceUid = :study', { study: within.studyUid });
    if (within.seriesUid) qb.andWhere('i.seriesInstanceUid = :series', { series: within.seriesUid });
    for (const c of conditions) qb.andWhere(c.sql, c.params);
    qb.orderBy('i.seriesInstanceUid').addOrderBy('i.instanceNumber', 'ASC', 'NULLS LAST').addOrderBy('i.sopInstanceUid').offset(page.offset).limit(page.limit);
    const { entities, raw } = await qb.getRawAndEntities<{ modality: string; i_sop_instance_uid: string }>();
    const modality = new Map(raw.map((r) => [r.i_sop_instance_uid, r.modality]));
    await this.audit(principal, 'dicom.query.instances', [...new Set(entities.map((i) => i.studyInstanceUid))], access);
    return entities.map((i) => instanceJson(i, modality.get(i.sopInstanceUid), baseUrl));
  }

  /**
   * A whole study as the index knows it (series by number, each with its instances), scoped like
   * QIDO-RS (404 for a study the caller may not see) and audited as one study read.
   */
  /** The newest studies of one patient of `holder` that the principal may see (own, sent to read, or shared). */
  async studyUidsOfPatient(principal: Principal, holder: string, patientId: string, limit: number): Promise<string[]> {
    const qb = this.scope.restrict(this.dataSource.manager.createQueryBuilder(Study, 's').where('s.institutionId = :holder AND s.patientId = :patientId', { holder, patientId }), principal);
    const studies = await qb.orderBy('s.studyDate', 'DESC', 'NULLS LAST').addOrderBy('s.createdAt', 'DESC').limit(limit).getMany();
    return studies.map((s) => s.studyInstanceUid);
  }

  async studyTree(principal: Principal, studyUid: string, access: AccessContext): Promise<StudyTree> {
    return this.dataSource.transaction(async (manager) => {
      const study = await this.scope.study(principal, studyUid, manager);
      const [series, instances] = await Promise.all([
        manager.createQueryBuilder(Series, 'se').where('se.studyInstanceUid = :studyUid', { studyUid })
          .orderBy('se.seriesNumber', 'ASC', 'NULLS LAST').addOrderBy('se.seriesInstanceUid').getMany(),
        manager.createQueryBuilder(Instance, 'i').where('i.studyInstanceUid = :studyUid', { studyUid })
          .orderBy('i.instanceNumber', 'ASC', 'NULLS LAST').addOrderBy('i.sopInstanceUid').getMany(),
      ]);
      await recordAudit(manager, principal, { action: 'study.read', resourceType: 'study', resourceId: studyUid, ...access });
      return { study, series: series.map((se) => ({ series: se, instances: instances.filter((i) => i.seriesInstanceUid === se.seriesInstanceUid) })) };
    });
  }

  private parse(query: Record<string, unknown>, levels: QueryLevel[]): { conditions: Condition[]; page: { limit: number; offset: number } } {
    try {
      return { conditions: matchConditions(query, levels), page: pageOf(query) };
    } catch (err) {
      if (err instanceof QueryKeyError) throw new DomainException(DiagnosisErrorCode.DICOM_BAD_QUERY, err.message);
      throw err;
    }
  }

  private async audit(principal: Principal, action: string, studyUids: string[], access: AccessContext): Promise<void> {
    await recordAudit(this.dataSource.manager, principal, { action, resourceType: 'study', resourceIds: studyUids, ...access });
  }
}
