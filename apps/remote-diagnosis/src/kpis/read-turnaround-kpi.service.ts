import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { GROUP_TIME_ZONE } from '@countylink/platform';
import { ReadService } from '../reads/read.service';
import { DIAGNOSIS_DATA_SOURCE, DIAGNOSIS_SCHEMA } from '../remote-diagnosis.constants';
import { checkRange, ReadTurnaroundQuery } from './read-turnaround.query';

/**
 * Reads that became ready on the Beijing days from–to, per modality and requesting institution, then
 * per modality and for the group (GROUPING SETS, so each level's percentiles are its own and not an
 * average of the rows'): how many were reported, within their deadline, how many are still open past
 * it as of $5, and minutes from ready to report at the median and the 90th percentile. An addendum
 * does not move reported_at, so the first report is what counts. Counts and minutes only: no patient.
 */
const SQL = `
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

interface Row {
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

@Injectable()
export class ReadTurnaroundKpiService {
  constructor(@InjectDataSource(DIAGNOSIS_DATA_SOURCE) private readonly dataSource: DataSource, private readonly reads: ReadService) {}

  async report(query: ReadTurnaroundQuery, now = new Date()) {
    checkRange(query);
    const rows = (await this.dataSource.query(SQL, [query.from, query.to, GROUP_TIME_ZONE, query.priority ?? null, now])) as Row[];
    const total = rows.find((r) => r.level === 3);
    return {
      from: query.from,
      to: query.to,
      timeZone: GROUP_TIME_ZONE,
      priority: query.priority ?? null,
      asOf: now.toISOString(),
      /** Minutes from ready to due per modality (`*`: any other) and priority, as this service sets them. */
      deadlines: this.reads.deadlines,
      rows: rows.filter((r) => r.level === 0).map((r) => ({ modality: r.modality!, requestingInstitutionId: r.requesting_institution_id!, ...figures(r) })),
      byModality: rows.filter((r) => r.level === 1).map((r) => ({ modality: r.modality!, ...figures(r) })),
      // The empty grouping set yields its row even over no reads.
      total: figures(total ?? { ready: 0, reported: 0, reported_within_deadline: 0, overdue_open: 0, open_within_deadline: 0, p50_minutes: null, p90_minutes: null }),
    };
  }
}

type Figures = Omit<Row, 'modality' | 'requesting_institution_id' | 'level'>;

function figures(r: Figures) {
  // Reads whose outcome against the deadline is known: reported, or open with the deadline gone by.
  const decided = r.reported + r.overdue_open;
  return {
    ready: r.ready,
    reported: r.reported,
    reportedWithinDeadline: r.reported_within_deadline,
    reportedLate: r.reported - r.reported_within_deadline,
    overdueOpen: r.overdue_open,
    openWithinDeadline: r.open_within_deadline,
    withinDeadlineShare: decided ? Math.round((r.reported_within_deadline / decided) * 10_000) / 10_000 : null,
    p50Minutes: r.p50_minutes,
    p90Minutes: r.p90_minutes,
  };
}
