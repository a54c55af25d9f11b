import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, DataSourceOptions } from 'typeorm';
import { SchedulingCommandsConsumer } from './his/scheduling-commands.consumer';
import { schedulingFeedAudience } from './his/scheduling-feed';
import { directoryMembersConsumer, MessagingModule } from '@countylink/messaging';
import { appDataSourceOptions, auditRefusedReads, runMigrations } from '@countylink/persistence';
import { AppConfig } from '@countylink/platform';
import { AppointmentChangesService } from './appointments/appointment-changes.service';
import { AppointmentController } from './appointments/appointment.controller';
import { AppointmentListService } from './appointments/appointment-list.service';
import { BookingService } from './appointments/booking.service';
import { SchedulingFhirController } from './fhir/scheduling-fhir.controller';
import { KpiController } from './kpis/kpi.controller';
import { ReservedCapacityKpiService } from './kpis/reserved-capacity-kpi.service';
import { SCHEDULING_MIGRATIONS } from './migrations';
import { ReferralSnapshotConsumer } from './referrals/referral-snapshot.consumer';
import { ReserveRelease } from './release/reserve-release';
import { ScheduleController } from './schedules/schedule.controller';
import { ScheduleSeeder } from './schedules/schedule-seeder';
import { ScheduleService } from './schedules/schedule.service';
import { SchedulingTimers } from './scheduling-timers';
import { SCHEDULING_APP, SCHEDULING_DATA_SOURCE, SCHEDULING_SCHEMA } from './specialist-slots.constants';
import { SCHEDULING_ENTITIES } from './specialist-slots.entities';
import { WaitlistController } from './waitlist/waitlist.controller';
import { WaitlistHandoff } from './waitlist/waitlist-handoff';
import { WaitlistService } from './waitlist/waitlist.service';

/** Schedules, reserved pools, bookings, waitlist and the release of unused reserve, in schema `scheduling`. */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      name: SCHEDULING_DATA_SOURCE,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        appDataSourceOptions(config.DATABASE_URL, {
          name: SCHEDULING_DATA_SOURCE, schema: SCHEDULING_SCHEMA, entities: SCHEDULING_ENTITIES, migrations: SCHEDULING_MIGRATIONS, poolSize: 20,
        }),
      // Migrations run before anything can use the connection.
      dataSourceFactory: async (options?: DataSourceOptions) => {
        const dataSource = await new DataSource(options!).initialize();
        await runMigrations(dataSource, SCHEDULING_SCHEMA);
        return dataSource;
      },
    }),
    MessagingModule.forApp({ app: SCHEDULING_APP, schema: SCHEDULING_SCHEMA, dataSourceName: SCHEDULING_DATA_SOURCE, feedAudience: schedulingFeedAudience }),
  ],
  controllers: [ScheduleController, AppointmentController, WaitlistController, KpiController, SchedulingFhirController],
  providers: [
    auditRefusedReads(SCHEDULING_DATA_SOURCE),
    ScheduleService, ScheduleSeeder, BookingService, AppointmentChangesService, AppointmentListService, WaitlistService, WaitlistHandoff,
    ReserveRelease, SchedulingTimers, ReferralSnapshotConsumer, ReservedCapacityKpiService, SchedulingCommandsConsumer, directoryMembersConsumer('specialist-slots.directory'),
  ],
  exports: [ScheduleService, ScheduleSeeder, SchedulingTimers],
})
export class SpecialistSlotsModule {}
