import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DIAGNOSIS_DATA_SOURCE, DIAGNOSIS_SCHEMA } from '../remote-diagnosis.constants';

/**
 * Reads that became ready on the days from–to (in `timeZone`), per modality and requesting institution, then
 * per modality and for the group (GROUPING SETS, so each level's percentiles are its own and not an
 * average of the rows'): how many were reported, within their deadline, how many are still open past
 * it as of $5, and minutes from ready to report at the median and the 90th percentile. An addendum
 * does not move reported_at, so the first report is what counts. Counts and minutes only: no patient.
 */
const TURNAROUND = `
WITH r AS (
  SELECT modality, requesting_institution_id, reported_at, due_at, extract(epoch FROM reported_at - ready_at) / 60 AS minutes
  FROM "${DIAGNOSIS_SCHEMA}"."read"
  WHERE ready_at >= ($1::date::timestamp AT TIME ZONE $3) AND ready_at < (($2::date + 1)::timestamp AT TIME ZONE $3)
    AND ($4::text IS NULL OR priority = $4)
)
SELECT modality, requesting_institution_id, GROUPING(modality, requesting_institution_id) AS level,
  count(*)::int AS ready,
  count(reported_at)::int AS reported,
  count(*) FILTER (WHERE reported_at <= due_at)::int AS reported_within_deadline,
  count(*) FILTER (WHERE reported_at IS NULL AND due_at < $5)::int AS overdue_open,
  count(*) FILTER (WHERE reported_at IS NULL AND due_at >= $5)::int AS open_within_deadline,
  round(percentile_cont(0.5) WITHIN GROUP (ORDER BY minutes)::numeric, 1)::float8 AS p50_minutes,
  round(percentile_cont(0.9) WITHIN GROUP (ORDER BY minutes)::numeric, 1)::float8 AS p90_minutes
FROM r
GROUP BY GROUPING SETS ((modality, requesting_institution_id), (modality), ())
ORDER BY level, modality, requesting_institution_id`;

export interface ReadTurnaroundRow {
  modality: string | null;
  requesting_institution_id: string | null;
  /** 0: a modality and an institution, 1: a modality, 3: the group. */
  level: number;
  ready: number;
  reported: number;
  reported_within_deadline: number;
  overdue_open: number;
  open_within_deadline: number;
  p50_minutes: number | null;
  p90_minutes: number | null;
}

/** The read KPIs' SQL over `read` rows. */
@Injectable()
export class ReadKpiRepository {
  constructor(@InjectDataSource(DIAGNOSIS_DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** The turnaround rows of the reads ready on the days from–to (YYYY-MM-DD, in `timeZone`), of `priority` if given, as of `now`. */
  async turnaround(
    from: string,
    to: string,
    timeZone: string,
    priority: string | null,
    now: Date,
  ): Promise<ReadTurnaroundRow[]> {
    return (await this.dataSource.query(TURNAROUND, [from, to, timeZone, priority, now])) as ReadTurnaroundRow[];
  }
}
