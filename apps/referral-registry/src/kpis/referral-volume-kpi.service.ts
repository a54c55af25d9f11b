import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { GROUP_TIME_ZONE } from '@countylink/platform';
import { REFERRAL_DATA_SOURCE, REFERRAL_SCHEMA } from '../referral-registry.constants';
import { ReferralVolumeQuery } from './referral-volume.query';

/**
 * Up- and down-referrals per month and per primary-care institution (the sender of an up-referral,
 * the receiver of a down-referral), with how many went through the green channel, were rejected
 * or completed: the 双向转诊 volume the group reports on.
 */
const SQL = `
SELECT to_char(date_trunc('month', created_at AT TIME ZONE $3), 'YYYY-MM') AS month, direction,
  CASE WHEN direction = 'up' THEN from_institution_id ELSE to_institution_id END AS primary_care_institution_id,
  count(*)::int AS referrals,
  count(*) FILTER (WHERE green_channel_centre IS NOT NULL)::int AS green_channel,
  count(*) FILTER (WHERE status = 'rejected')::int AS rejected,
  count(*) FILTER (WHERE status = 'completed')::int AS completed
FROM "${REFERRAL_SCHEMA}"."referral"
WHERE ($1::timestamptz IS NULL OR created_at >= $1) AND ($2::timestamptz IS NULL OR created_at < $2)
GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`;

interface Row {
  month: string;
  direction: 'up' | 'down';
  primary_care_institution_id: string;
  referrals: number;
  green_channel: number;
  rejected: number;
  completed: number;
}

@Injectable()
export class ReferralVolumeKpiService {
  constructor(@InjectDataSource(REFERRAL_DATA_SOURCE) private readonly dataSource: DataSource) {}

  async report(query: ReferralVolumeQuery) {
    const rows = (await this.dataSource.query(SQL, [query.from ?? null, query.to ?? null, GROUP_TIME_ZONE])) as Row[];
    return {
      from: query.from ?? null,
      to: query.to ?? null,
      timeZone: GROUP_TIME_ZONE,
      rows: rows.map((r) => ({
        month: r.month,
        direction: r.direction,
        primaryCareInstitutionId: r.primary_care_institution_id,
        referrals: r.referrals,
        greenChannel: r.green_channel,
        rejected: r.rejected,
        completed: r.completed,
      })),
    };
  }
}
