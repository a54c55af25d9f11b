/**
 * The remote-diagnosis and specialist-slots apps' own outboxes, each in a producer process of the
 * bench (county-producers.ts): their schemas (their migrations), their EventPublisher and
 * OutboxRelay onto the real topics, with their ce_source — without the rest of the apps. A read becoming ready needs a DICOM upload and a
 * booking a published schedule, so the bench commits those events itself, through the publisher
 * every app uses, each in a transaction of its own with its time taken just before the insert.
 */
import { Module } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { MessageInitShape } from '@bufbuild/protobuf';
import { DataSource } from 'typeorm';
import { EventCatalog, EventType } from '@countylink/contracts';
import { EventPublisher, MessagingModule } from '@countylink/messaging';
import { DatabaseModule } from '@countylink/persistence';
import { DIAGNOSIS_MIGRATIONS } from '../../apps/remote-diagnosis/src/migrations';
import {
  DIAGNOSIS_APP,
  DIAGNOSIS_DATA_SOURCE,
  DIAGNOSIS_SCHEMA,
} from '../../apps/remote-diagnosis/src/remote-diagnosis.constants';
import { DIAGNOSIS_ENTITIES } from '../../apps/remote-diagnosis/src/remote-diagnosis.entities';
import { SCHEDULING_MIGRATIONS } from '../../apps/specialist-slots/src/migrations';
import {
  SCHEDULING_APP,
  SCHEDULING_DATA_SOURCE,
  SCHEDULING_SCHEMA,
} from '../../apps/specialist-slots/src/specialist-slots.constants';
import { SCHEDULING_ENTITIES } from '../../apps/specialist-slots/src/specialist-slots.entities';

export type EventInit<T extends EventType> = MessageInitShape<(typeof EventCatalog)[T]['schema']>;

/** One app's outbox: `publish` commits one event, its payload built from the time taken at commit. */
export class Outbox {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
  ) {}

  publish<T extends EventType>(
    type: T,
    key: string,
    subject: string,
    payload: (at: Date) => EventInit<T>,
  ): Promise<string> {
    return this.dataSource.transaction((manager) => {
      const at = new Date();
      return this.events.publish(manager, type, key, payload(at), { subject, occurredAt: at });
    });
  }
}

export const DIAGNOSIS_OUTBOX = 'bench:diagnosis-outbox';
export const SCHEDULING_OUTBOX = 'bench:scheduling-outbox';

const outbox = (provide: string, dataSource: string) => ({
  provide,
  inject: [getDataSourceToken(dataSource), EventPublisher],
  useFactory: (ds: DataSource, events: EventPublisher) => new Outbox(ds, events),
});

@Module({
  imports: [
    DatabaseModule.forApp({
      name: DIAGNOSIS_DATA_SOURCE,
      schema: DIAGNOSIS_SCHEMA,
      entities: DIAGNOSIS_ENTITIES,
      migrations: DIAGNOSIS_MIGRATIONS,
    }),
    MessagingModule.forApp({ app: DIAGNOSIS_APP, schema: DIAGNOSIS_SCHEMA, dataSourceName: DIAGNOSIS_DATA_SOURCE }),
  ],
  providers: [outbox(DIAGNOSIS_OUTBOX, DIAGNOSIS_DATA_SOURCE)],
})
export class DiagnosisOutboxModule {}

@Module({
  imports: [
    DatabaseModule.forApp({
      name: SCHEDULING_DATA_SOURCE,
      schema: SCHEDULING_SCHEMA,
      entities: SCHEDULING_ENTITIES,
      migrations: SCHEDULING_MIGRATIONS,
    }),
    MessagingModule.forApp({ app: SCHEDULING_APP, schema: SCHEDULING_SCHEMA, dataSourceName: SCHEDULING_DATA_SOURCE }),
  ],
  providers: [outbox(SCHEDULING_OUTBOX, SCHEDULING_DATA_SOURCE)],
})
export class SchedulingOutboxModule {}
