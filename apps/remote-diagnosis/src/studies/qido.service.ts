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
import { StudyQueryRepository } from './study-query.repository';
import { StudyScope } from './study-scope.service';

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
    private readonly index: StudyQueryRepository,
  ) {}

  async studies(
    principal: Principal,
    query: Record<string, unknown>,
    baseUrl: string,
    access: AccessContext,
  ): Promise<DicomJson[]> {
    const { conditions, page } = this.parse(query, ['study']);
    const studies = await this.index.studies(principal, conditions, page);
    const uids = studies.map((s) => s.studyInstanceUid);
    const stats = await this.index.studyStats(uids);
    await this.audit(principal, 'dicom.query.studies', uids, access);
    return studies.map((s) =>
      studyJson(
        s,
        stats.find((x) => x.uid === s.studyInstanceUid) ?? { modalities: [], series: 0, instances: 0 },
        baseUrl,
      ),
    );
  }

  async series(
    principal: Principal,
    query: Record<string, unknown>,
    within: QidoScope,
    baseUrl: string,
    access: AccessContext,
  ): Promise<DicomJson[]> {
    const { conditions, page } = this.parse(query, within.studyUid ? ['series'] : ['study', 'series']);
    if (within.studyUid) await this.scope.study(principal, within.studyUid);
    const series = await this.index.series(principal, within.studyUid, conditions, page);
    const counts = await this.index.instanceCounts(series.map((s) => s.seriesInstanceUid));
    await this.audit(principal, 'dicom.query.series', [...new Set(series.map((s) => s.studyInstanceUid))], access);
    return series.map((se) => seriesJson(se, counts.find((c) => c.uid === se.seriesInstanceUid)?.n ?? 0, baseUrl));
  }

  async instances(
    principal: Principal,
    query: Record<string, unknown>,
    within: QidoScope,
    baseUrl: string,
    access: AccessContext,
  ): Promise<DicomJson[]> {
    const levels: QueryLevel[] = within.seriesUid
      ? ['instance']
      : within.studyUid
        ? ['series', 'instance']
        : ['study', 'series', 'instance'];
    const { conditions, page } = this.parse(query, levels);
    if (within.studyUid) await this.scope.study(principal, within.studyUid);
    const { instances: entities, modality } = await this.index.instances(principal, within, conditions, page);
    await this.audit(principal, 'dicom.query.instances', [...new Set(entities.map((i) => i.studyInstanceUid))], access);
    return entities.map((i) => instanceJson(i, modality.get(i.sopInstanceUid), baseUrl));
  }

  /**
   * A whole study as the index knows it (series by number, each with its instances), scoped like
   * QIDO-RS (404 for a study the caller may not see) and audited as one study read.
   */
  /** The newest studies of one patient of `holder` that the principal may see (own, sent to read, or shared). */
  studyUidsOfPatient(principal: Principal, holder: string, patientId: string, limit: number): Promise<string[]> {
    return this.index.studyUidsOfPatient(principal, holder, patientId, limit);
  }

  async studyTree(principal: Principal, studyUid: string, access: AccessContext): Promise<StudyTree> {
    return this.dataSource.transaction(async (manager) => {
      const study = await this.scope.study(principal, studyUid, manager);
      const [series, instances] = await this.index.seriesAndInstances(manager, studyUid);
      await recordAudit(manager, principal, {
        action: 'study.read',
        resourceType: 'study',
        resourceId: studyUid,
        ...access,
      });
      return {
        study,
        series: series.map((se) => ({
          series: se,
          instances: instances.filter((i) => i.seriesInstanceUid === se.seriesInstanceUid),
        })),
      };
    });
  }

  private parse(
    query: Record<string, unknown>,
    levels: QueryLevel[],
  ): { conditions: Condition[]; page: { limit: number; offset: number } } {
    try {
      return { conditions: matchConditions(query, levels), page: pageOf(query) };
    } catch (err) {
      if (err instanceof QueryKeyError) throw new DomainException(DiagnosisErrorCode.DICOM_BAD_QUERY, err.message);
      throw err;
    }
  }

  private async audit(principal: Principal, action: string, studyUids: string[], access: AccessContext): Promise<void> {
    await recordAudit(this.dataSource.manager, principal, {
      action,
      resourceType: 'study',
      resourceIds: studyUids,
      ...access,
    });
  }
}
