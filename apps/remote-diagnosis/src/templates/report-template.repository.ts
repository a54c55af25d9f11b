import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ReportTemplate } from './report-template.entity';

/** The SQL of `report_template` rows that the service does not write through the entity manager. */
@Injectable()
export class ReportTemplateRepository {
  /**
   * Inserts the rows in one statement, in the caller's transaction; a row whose title is taken
   * (a concurrent seed's) is a no-op. Answers how many were inserted.
   */
  async insertIgnoringTaken(manager: EntityManager, rows: ReportTemplate[]): Promise<number> {
    const inserted = await manager
      .createQueryBuilder()
      .insert()
      .into(ReportTemplate)
      .values(rows)
      .orIgnore()
      .returning(['id'])
      .execute();
    return (inserted.raw as unknown[]).length;
  }
}
