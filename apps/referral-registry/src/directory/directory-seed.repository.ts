import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/** The directory seed's SQL; every method runs inside the caller's transaction. */
@Injectable()
export class DirectorySeedRepository {
  /** Until the transaction ends, no other instance loads a seed: two starting together must not both publish the same changes. */
  async lockSeeding(manager: EntityManager): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('countylink:directory-seed'))`);
  }
}
