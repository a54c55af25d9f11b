import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Principal } from '@countylink/auth';
import { recordAudit } from '@countylink/persistence';
import { REALTIME_DATA_SOURCE } from '../clinician-realtime.constants';
import { Scope } from '../rooms/rooms';
import { Cursor, encodeCursor, positionsIn } from './notification-cursor';
import { advance, NotificationLog } from './notification-log.repository';
import { NotificationFrame, ReadyFrame } from './notification-types';
import { ClinicianRealtimeConfig } from '../clinician-realtime.config';

export interface Replay {
  frames: NotificationFrame[];
  ready: ReadyFrame;
  /** Where live delivery takes over: everything up to here was replayed or left to HTTP. */
  cursor: Cursor;
}

/** What a (re)connecting client missed, read in one snapshot with the rooms' current positions. */
@Injectable()
export class NotificationReplay {
  constructor(
    @InjectDataSource(REALTIME_DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly log: NotificationLog,
    private readonly config: ClinicianRealtimeConfig,
  ) {}

  /**
   * Without `lastSeen` (a first connection) nothing is replayed: the client starts from now. So does
   * a room the client has no position in (one it joins now, e.g. after the directory moved it): the
   * department's whole history is not "missed".
   */
  replay(principal: Principal, rooms: Scope[], lastSeen: Cursor | undefined): Promise<Replay> {
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const heads = await this.log.heads(manager, rooms);
      const none = { frames: [], more: false };
      const after = lastSeen
        ? {
            ...heads,
            ...positionsIn(
              rooms.filter((r) => Object.hasOwn(lastSeen, r)),
              lastSeen,
              0,
            ),
          }
        : heads;
      const { frames, more } = lastSeen
        ? await this.log.missed(manager, rooms, after, this.config.REALTIME_RESUME_LIMIT, heads)
        : none;
      if (frames.length > 0) {
        await recordAudit(manager, principal, {
          action: 'notification.replay',
          resourceType: 'notification',
          resourceIds: frames.map((f) => f.id),
          reason: 'socket reconnect',
        });
      }
      const ready: ReadyFrame = {
        rooms,
        cursor: heads,
        replayed: frames.length,
        more,
        ...(more ? { after: encodeCursor(advance(after, frames)), until: encodeCursor(heads) } : {}),
      };
      return { frames, ready, cursor: heads };
    });
  }
}
