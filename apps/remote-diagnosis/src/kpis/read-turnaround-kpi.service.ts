import { Injectable } from '@nestjs/common';
import { GROUP_TIME_ZONE } from '@countylink/platform';
import { ReadService } from '../reads/read.service';
import { ReadKpiRepository, ReadTurnaroundRow } from './read-kpi.repository';
import { checkRange, ReadTurnaroundQuery } from './read-turnaround.query';

type Row = ReadTurnaroundRow;

/**
 * The read turnaround KPI over the Beijing days from–to (ReadKpiRepository.turnaround): per modality and
 * requesting institution, per modality and for the group.
 */
@Injectable()
export class ReadTurnaroundKpiService {
  constructor(
    private readonly kpis: ReadKpiRepository,
    private readonly reads: ReadService,
  ) {}

  async report(query: ReadTurnaroundQuery, now = new Date()) {
    checkRange(query);
    const rows = await this.kpis.turnaround(query.from, query.to, GROUP_TIME_ZONE, query.priority ?? null, now);
    const total = rows.find((r) => r.level === 3);
    return {
      from: query.from,
      to: query.to,
      timeZone: GROUP_TIME_ZONE,
      priority: query.priority ?? null,
      asOf: now.toISOString(),
      /** Minutes from ready to due per modality (`*`: any other) and priority, as this service sets them. */
      deadlines: this.reads.deadlines,
      rows: rows
        .filter((r) => r.level === 0)
        .map((r) => ({ modality: r.modality!, requestingInstitutionId: r.requesting_institution_id!, ...figures(r) })),
      byModality: rows.filter((r) => r.level === 1).map((r) => ({ modality: r.modality!, ...figures(r) })),
      // The empty grouping set yields its row even over no reads.
      total: figures(
        total ?? {
          ready: 0,
          reported: 0,
          reported_within_deadline: 0,
          overdue_open: 0,
          open_within_deadline: 0,
          p50_minutes: null,
          p90_minutes: null,
        },
      ),
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
