import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Scope } from '../rooms/rooms';
import { Alert } from './alert.entity';

/** The SQL of `alert` rows that the service does not write through the entity manager; every method runs inside the caller's transaction. */
@Injectable()
export class AlertRepository {
  /** Inserts the alert unless one for the same subject and kind is already in (the unique key): false then, and nothing written. */
  async insertOnce(manager: EntityManager, alert: Alert): Promise<boolean> {
    const inserted = await manager
      .createQueryBuilder()
      .insert()
      .into(Alert)
      .values(alert)
      .orIgnore()
      .returning(['id'])
      .execute();
    return inserted.raw.length !== 0;
  }

  /** The open alerts that have reached one of `rooms`, oldest first, `limit` at most. */
  openReaching(manager: EntityManager, rooms: Scope[], limit: number): Promise<Alert[]> {
    return manager
      .createQueryBuilder(Alert, 'a')
      .where(`a.status = 'open'`)
      .andWhere('a.rooms && CAST(:mine AS text[])', { mine: rooms })
      .orderBy('a.raisedAt', 'ASC')
      .addOrderBy('a.id', 'ASC')
      .take(limit)
      .getMany();
  }
}
