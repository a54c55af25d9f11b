import { Module } from '@nestjs/common';
import { HisCommandGate } from '@countylink/his-gateway';
import { MessagingModule } from '@countylink/messaging';
import { auditRefusedReads, DatabaseModule } from '@countylink/persistence';
import { appConfigProvider } from '@countylink/platform';
import { DirectoryController } from './directory/directory.controller';
import { DirectorySeedOnBoot } from './directory/directory-seed-on-boot.service';
import { DirectorySeeder } from './directory/directory.seeder';
import { DirectorySeedRepository } from './directory/directory-seed.repository';
import { DirectoryService } from './directory/directory.service';
import { ReferralFhirController } from './fhir/referral-fhir.controller';
import { ReferralKpiController } from './kpis/referral-kpi.controller';
import { ReferralKpiRepository } from './kpis/referral-kpi.repository';
import { ReferralVolumeKpiService } from './kpis/referral-volume-kpi.service';
import { REFERRAL_MIGRATIONS } from './migrations';
import { ReferralRegistryConfig } from './referral-registry.config';
import { REFERRAL_APP, REFERRAL_DATA_SOURCE, REFERRAL_SCHEMA } from './referral-registry.constants';
import { REFERRAL_ENTITIES } from './referral-registry.entities';
import { referralJobs } from './referral-jobs';
import { AppointmentHistoryConsumer } from './referrals/appointment-history.consumer';
import { ReferralController } from './referrals/referral.controller';
import { ReferralCommandsConsumer } from './referrals/referral-commands.consumer';
import { ReferralEscalation } from './referrals/referral-escalation.service';
import { ReferralRepository } from './referrals/referral.repository';
import { ReferralService } from './referrals/referral.service';
import { referralFeedAudience } from './referrals/referral-feed';

/** Two-way referrals, the green channel, catalogs and the group directory, in schema `referral`. */
@Module({
  imports: [
    DatabaseModule.forApp({
      name: REFERRAL_DATA_SOURCE,
      schema: REFERRAL_SCHEMA,
      entities: REFERRAL_ENTITIES,
      migrations: REFERRAL_MIGRATIONS,
    }),
    MessagingModule.forApp({
      app: REFERRAL_APP,
      schema: REFERRAL_SCHEMA,
      dataSourceName: REFERRAL_DATA_SOURCE,
      feedAudience: referralFeedAudience,
    }),
  ],
  controllers: [ReferralController, DirectoryController, ReferralFhirController, ReferralKpiController],
  providers: [
    appConfigProvider(ReferralRegistryConfig),
    auditRefusedReads(REFERRAL_DATA_SOURCE),
    ReferralRepository,
    ReferralKpiRepository,
    DirectorySeedRepository,
    DirectoryService,
    DirectorySeeder,
    DirectorySeedOnBoot,
    ReferralService,
    ReferralEscalation,
    referralJobs,
    HisCommandGate,
    ReferralCommandsConsumer,
    AppointmentHistoryConsumer,
    ReferralVolumeKpiService,
  ],
  exports: [DirectoryService, ReferralService, referralJobs.provide],
})
export class ReferralRegistryModule {}
