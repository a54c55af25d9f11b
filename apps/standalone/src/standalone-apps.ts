import { Type } from '@nestjs/common';
import { REALTIME_DATA_SOURCE } from '../../clinician-realtime/src/clinician-realtime.constants';
import { ClinicianRealtimeModule } from '../../clinician-realtime/src/clinician-realtime.module';
import { REFERRAL_DATA_SOURCE } from '../../referral-registry/src/referral-registry.constants';
import { ReferralRegistryModule } from '../../referral-registry/src/referral-registry.module';
import { DIAGNOSIS_DATA_SOURCE } from '../../remote-diagnosis/src/remote-diagnosis.constants';
import { RemoteDiagnosisModule } from '../../remote-diagnosis/src/remote-diagnosis.module';
import { SCHEDULING_DATA_SOURCE } from '../../specialist-slots/src/specialist-slots.constants';
import { SpecialistSlotsModule } from '../../specialist-slots/src/specialist-slots.module';

/** The app modules the embedded default runs in one process, each with its own data source. */
export const STANDALONE_APPS: Array<{ module: Type<unknown>; dataSource: string }> = [
  { module: ReferralRegistryModule, dataSource: REFERRAL_DATA_SOURCE },
  { module: RemoteDiagnosisModule, dataSource: DIAGNOSIS_DATA_SOURCE },
  { module: SpecialistSlotsModule, dataSource: SCHEDULING_DATA_SOURCE },
  { module: ClinicianRealtimeModule, dataSource: REALTIME_DATA_SOURCE },
];
