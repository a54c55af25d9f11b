import { Module } from '@nestjs/common';
import { MessagingModule } from '@countylink/messaging';
import { auditRefusedReads, DatabaseModule } from '@countylink/persistence';
import { appConfigProvider } from '@countylink/platform';
import { alertFeedAudience } from './alerts/alert-feed';
import { AlertRepository } from './alerts/alert.repository';
import { AlertService } from './alerts/alert.service';
import { alertJobs } from './alerts/alert-jobs';
import { LoggingPager, PAGER } from './alerts/pager.service';
import { ClinicianRealtimeConfig } from './clinician-realtime.config';
import { REALTIME_APP, REALTIME_DATA_SOURCE, REALTIME_SCHEMA } from './clinician-realtime.constants';
import { REALTIME_ENTITIES } from './clinician-realtime.entities';
import './clinician-realtime.exception';
import { DirectoryReplica } from './directory/directory-replica.service';
import { ClinicianGateway } from './gateway/clinician.gateway';
import { REALTIME_MIGRATIONS } from './migrations';
import { NotificationConsumer } from './notifications/notification.consumer';
import { NotificationController } from './notifications/notification.controller';
import { NotificationLog } from './notifications/notification-log.repository';
import { NotificationReplay } from './notifications/notification-replay.service';
import { LivePush } from './push/live-push.service';
import { PostgresSocketAdapter } from './push/postgres-socket.adapter';
import { PushHealth } from './push/push-health.indicator';
import { MemberRooms } from './rooms/member-rooms.service';

/**
 * Live clinician updates over Socket.IO (`/clinician`), the notification log they are replayed
 * from, and alerts that climb a ladder until a human acknowledges them — in schema `realtime`.
 */
@Module({
  imports: [
    DatabaseModule.forApp({
      name: REALTIME_DATA_SOURCE,
      schema: REALTIME_SCHEMA,
      entities: REALTIME_ENTITIES,
      migrations: REALTIME_MIGRATIONS,
    }),
    MessagingModule.forApp({
      app: REALTIME_APP,
      schema: REALTIME_SCHEMA,
      dataSourceName: REALTIME_DATA_SOURCE,
      feedAudience: alertFeedAudience,
    }),
  ],
  controllers: [NotificationController],
  providers: [
    appConfigProvider(ClinicianRealtimeConfig),
    auditRefusedReads(REALTIME_DATA_SOURCE),
    DirectoryReplica,
    MemberRooms,
    NotificationLog,
    NotificationReplay,
    NotificationConsumer,
    LivePush,
    PushHealth,
    PostgresSocketAdapter,
    AlertService,
    AlertRepository,
    alertJobs,
    { provide: PAGER, useClass: LoggingPager },
    ClinicianGateway,
  ],
  exports: [alertJobs.provide, NotificationLog],
})
export class ClinicianRealtimeModule {}
