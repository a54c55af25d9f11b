import { Module } from '@nestjs/common';
import { SchedulingCommandsConsumer } from './his/scheduling-commands.consumer';
import { schedulingFeedAudience } from './his/scheduling-feed';
import { HisCommandGate } from '@countylink/his-gateway';
import { directoryMembersConsumer, MessagingModule } from '@countylink/messaging';
import { auditRefusedReads, DatabaseModule } from '@countylink/persistence';
import { appConfigProvider } from '@countylink/platform';
import { AppointmentChangesService } from './appointments/appointment-changes.service';
import { AppointmentController } from './appointments/appointment.controller';
import { AppointmentListService } from './appointments/appointment-list.service';
import { AppointmentRepository } from './appointments/appointment.repository';
import { BookingService } from './appointments/booking.service';
import { SchedulingFhirController } from './fhir/scheduling-fhir.controller';
import { KpiController } from './kpis/kpi.controller';
import { ReservedCapacityKpiService } from './kpis/reserved-capacity-kpi.service';
import { SCHEDULING_MIGRATIONS } from './migrations';
import { ReferralSnapshotConsumer } from './referrals/referral-snapshot.consumer';
import { ReferralSnapshotRepository } from './referrals/referral-snapshot.repository';
import { ReserveRelease } from './release/reserve-release.service';
import { ScheduleController } from './schedules/schedule.controller';
import { ScheduleSeeder } from './schedules/schedule.seeder';
import { ScheduleRepository } from './schedules/schedule.repository';
import { ScheduleService } from './schedules/schedule.service';
import { schedulingJobs } from './scheduling-jobs';
import { SpecialistSlotsConfig } from './specialist-slots.config';
import { SCHEDULING_APP, SCHEDULING_DATA_SOURCE, SCHEDULING_SCHEMA } from './specialist-slots.constants';
import { SCHEDULING_ENTITIES } from './specialist-slots.entities';
import { WaitlistController } from './waitlist/waitlist.controller';
import { WaitlistHandoff } from './waitlist/waitlist-handoff.service';
import { WaitlistRepository } from './waitlist/waitlist.repository';
import { WaitlistService } from './waitlist/waitlist.service';

/** Schedules, reserved pools, bookings, waitlist and the release of unused reserve, in schema `scheduling`. */
@Module({
  imports: [
    DatabaseModule.forApp({
      name: SCHEDULING_DATA_SOURCE,
      schema: SCHEDULING_SCHEMA,
      entities: SCHEDULING_ENTITIES,
      migrations: SCHEDULING_MIGRATIONS,
      poolSize: 20,
    }),
    MessagingModule.forApp({
      app: SCHEDULING_APP,
      schema: SCHEDULING_SCHEMA,
      dataSourceName: SCHEDULING_DATA_SOURCE,
      feedAudience: schedulingFeedAudience,
    }),
  ],
  controllers: [ScheduleController, AppointmentController, WaitlistController, KpiController, SchedulingFhirController],
  providers: [
    appConfigProvider(SpecialistSlotsConfig),
    auditRefusedReads(SCHEDULING_DATA_SOURCE),
    ScheduleRepository,
    AppointmentRepository,
    WaitlistRepository,
    ReferralSnapshotRepository,
    ScheduleService,
    ScheduleSeeder,
    BookingService,
    AppointmentChangesService,
    AppointmentListService,
    WaitlistService,
    WaitlistHandoff,
    ReserveRelease,
    schedulingJobs,
    ReferralSnapshotConsumer,
    ReservedCapacityKpiService,
    HisCommandGate,
    SchedulingCommandsConsumer,
    directoryMembersConsumer('specialist-slots.directory'),
  ],
  exports: [ScheduleService, ScheduleSeeder, schedulingJobs.provide],
})
export class SpecialistSlotsModule {}
