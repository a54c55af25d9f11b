// Written by hand: triggers, which the entities cannot express (see libs/persistence/src/audit-append-only.ts).
import { MigrationInterface, QueryRunner } from 'typeorm';
import { makeAuditAppendOnly, undoAuditAppendOnly } from '@countylink/persistence';

export class AuditAppendOnly1796172000000 implements MigrationInterface {
  name = 'AuditAppendOnly1796172000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await makeAuditAppendOnly(queryRunner, 'referral');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await undoAuditAppendOnly(queryRunner, 'referral');
  }
}
