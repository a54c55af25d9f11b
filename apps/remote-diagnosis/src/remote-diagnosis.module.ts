import { Module } from '@nestjs/common';
import { HisCommandGate } from '@countylink/his-gateway';
import { directoryMembersConsumer, MessagingModule } from '@countylink/messaging';
import { auditRefusedReads, DatabaseModule } from '@countylink/persistence';
import { appConfigProvider } from '@countylink/platform';
import './diagnosis.exception';
import { diagnosisJobs } from './diagnosis-jobs';
import { DicomWorkers } from './dicom/worker/dicom-workers.service';
import { InstanceIngest } from './dicomweb/instance-ingest.service';
import { DiagnosisCommandsConsumer } from './his/diagnosis-commands.consumer';
import { diagnosisFeedAudience } from './his/diagnosis-feed';
import { StowController } from './dicomweb/stow.controller';
import { DiagnosisFhirController } from './fhir/diagnosis-fhir.controller';
import { DimseListener } from './dimse/dimse-listener.service';
import { DimseStore } from './dimse/dimse-store.service';
import { ModalityWorklist } from './dimse/modality-worklist.service';
import { WorklistRepository } from './dimse/worklist.repository';
import { ReadKpiRepository } from './kpis/read-kpi.repository';
import { ReadTurnaroundKpiController } from './kpis/read-turnaround-kpi.controller';
import { ReadTurnaroundKpiService } from './kpis/read-turnaround-kpi.service';
import { DIAGNOSIS_MIGRATIONS } from './migrations';
import { RemoteDiagnosisConfig } from './remote-diagnosis.config';
import { ReadController } from './reads/read.controller';
import { ReadEvents } from './reads/read-events.service';
import { ReadIntake } from './reads/read-intake.service';
import { ReadRepository } from './reads/read.repository';
import { ReadService } from './reads/read.service';
import { DIAGNOSIS_APP, DIAGNOSIS_DATA_SOURCE, DIAGNOSIS_SCHEMA } from './remote-diagnosis.constants';
import { DIAGNOSIS_ENTITIES } from './remote-diagnosis.entities';
import { ReferralShareConsumer } from './sharing/referral-share.consumer';
import { ReferralShareRepository } from './sharing/referral-share.repository';
import { InstanceStore } from './storage/instance-store.service';
import { DicomwebReadController } from './studies/dicomweb-read.controller';
import { QidoService } from './studies/qido.service';
import { StudyQueryRepository } from './studies/study-query.repository';
import { StudyScope } from './studies/study-scope.service';
import { WadoBulkController } from './studies/wado-bulk.controller';
import { WadoRetrieveController } from './studies/wado-retrieve.controller';
import { WadoService } from './studies/wado.service';
import { WaveformController } from './studies/waveform.controller';
import { ReportTemplateController } from './templates/report-template.controller';
import { ReportTemplateRepository } from './templates/report-template.repository';
import { ReportTemplateSeeder } from './templates/report-template.seeder';
import { ReportTemplateService } from './templates/report-template.service';

/** 基层检查 + 上级诊断: DICOMweb and DIMSE (C-STORE, worklist) upload, query and rendering, the read worklist, reports and report templates, the read turnaround KPI, in schema `diagnosis`. */
@Module({
  imports: [
    DatabaseModule.forApp({
      name: DIAGNOSIS_DATA_SOURCE,
      schema: DIAGNOSIS_SCHEMA,
      entities: DIAGNOSIS_ENTITIES,
      migrations: DIAGNOSIS_MIGRATIONS,
      poolSize: 20,
    }),
    MessagingModule.forApp({
      app: DIAGNOSIS_APP,
      schema: DIAGNOSIS_SCHEMA,
      dataSourceName: DIAGNOSIS_DATA_SOURCE,
      feedAudience: diagnosisFeedAudience,
    }),
  ],
  controllers: [
    StowController,
    DicomwebReadController,
    WadoRetrieveController,
    WadoBulkController,
    WaveformController,
    ReadController,
    DiagnosisFhirController,
    ReportTemplateController,
    ReadTurnaroundKpiController,
  ],
  providers: [
    appConfigProvider(RemoteDiagnosisConfig),
    auditRefusedReads(DIAGNOSIS_DATA_SOURCE),
    DicomWorkers,
    InstanceStore,
    InstanceIngest,
    ReadService,
    ReadEvents,
    ReadIntake,
    diagnosisJobs,
    StudyScope,
    QidoService,
    WadoService,
    HisCommandGate,
    DiagnosisCommandsConsumer,
    ReferralShareConsumer,
    DimseStore,
    WorklistRepository,
    ModalityWorklist,
    DimseListener,
    ReportTemplateService,
    ReportTemplateSeeder,
    ReadTurnaroundKpiService,
    ReadRepository,
    StudyQueryRepository,
    ReportTemplateRepository,
    ReadKpiRepository,
    ReferralShareRepository,
    directoryMembersConsumer('remote-diagnosis.directory'),
  ],
  exports: [ReadService, diagnosisJobs.provide],
})
export class RemoteDiagnosisModule {}
