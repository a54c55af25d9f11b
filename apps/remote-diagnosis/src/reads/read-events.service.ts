import { Injectable } from '@nestjs/common';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { EntityManager } from 'typeorm';
import type { Principal } from '@countylink/auth';
import { actorMessage, EventPublisher, PendingEvent, SYSTEM_ACTOR } from '@countylink/messaging';
import { Study } from '../studies/study.entity';
import { Read } from './read.entity';
import { READ_STATUS_PROTO, readMessage } from './read-event.mapper';
import type { ReadStatus } from './read-state-machine';

type StatusEvent =
  | 'countylink.diagnosis.read-ready.v1'
  | 'countylink.diagnosis.read-claimed.v1'
  | 'countylink.diagnosis.read-released.v1';

/**
 * A read's events, keyed by the read id so they stay in order. Each is built from the read as it
 * is at the call (a snapshot), so several can be gathered and published together.
 */
@Injectable()
export class ReadEvents {
  constructor(private readonly events: EventPublisher) {}

  async studyUids(manager: EntityManager, readId: string): Promise<string[]> {
    const rows = await manager.find(Study, {
      where: { readId },
      select: { studyInstanceUid: true },
      order: { createdAt: 'ASC' },
    });
    return rows.map((s) => s.studyInstanceUid);
  }

  requested(read: Read, actor: Principal, studyUids: string[]): PendingEvent {
    return {
      type: 'countylink.diagnosis.read-requested.v1',
      key: read.id,
      payload: { read: readMessage(read, studyUids), actor: actorMessage(actor) },
      subject: `read/${read.id}`,
      occurredAt: read.updatedAt,
    };
  }

  statusChanged(
    type: StatusEvent,
    read: Read,
    from: ReadStatus,
    actor: Principal | 'system',
    studyUids: string[],
    reason = '',
  ): PendingEvent {
    return {
      type,
      key: read.id,
      payload: {
        read: readMessage(read, studyUids),
        fromStatus: READ_STATUS_PROTO[from],
        toStatus: READ_STATUS_PROTO[read.status],
        actor: actor === 'system' ? SYSTEM_ACTOR : actorMessage(actor),
        reason,
        occurredAt: timestampFromDate(read.updatedAt),
      },
      subject: `read/${read.id}`,
      occurredAt: read.updatedAt,
    };
  }

  publish(manager: EntityManager, events: PendingEvent[]): Promise<string[]> {
    return this.events.publishAll(manager, events);
  }
}
