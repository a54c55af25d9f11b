import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { REFERRAL_DATA_SOURCE, REFERRAL_SCHEMA } from '../referral-registry.constants';

/**
 * Up- and down-referrals per month (in $3's time zone) and per primary-care institution (the sender of an up-referral,
 * the receiver of a down-referral), with how many went through the green channel, were rejected
 * or completed: the 双向转诊 volume the group reports on.
 */
const VOLUME = `
SELECT to_char(date_trunc('month', created_at AT TIME ZONE $3), 'YYYY-MM') AS month, direction,
  CASE WHEN direction = 'up' THEN from_institution_id ELSE to_institution_id END AS primary_care_institution_id,
  count(*)::int AS referrals,
  count(*) FILTER (WHERE green_channel_centre IS NOT NULL)::int AS green_channel,
  count(*) FILTER (WHERE status = 'rejected')::int AS rejected,
  count(*) FILTER (WHERE status = 'completed')::int AS completed
FROM "${REFERRAL_SCHEMA}"."referral"
WHERE ($1::timestamptz IS NULL OR created_at >= $1) AND ($2::timestamptz IS NULL OR created_at < $2)
GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`;

export interface ReferralVolumeRow {
  month: string;
  direction: 'up' | 'down';
  primary_care_institution_id: string;
  referrals: number;
  green_channel: number;
  rejected: number;
  completed: number;
}

/** The referral KPIs' SQL over `referral` rows. */
@Injectable()
export class ReferralKpiRepository {
  constructor(@InjectDataSource(REFERRAL_DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** Volume rows of referrals created in [from, to) (either bound open when null), months counted in `timeZone`. */
  async volume(from: string | null, to: string | null, timeZone: string): Promise<ReferralVolumeRow[]> {
    return (await this.dataSource.query(VOLUME, [from, to, timeZone])) as ReferralVolumeRow[];
  }
}
