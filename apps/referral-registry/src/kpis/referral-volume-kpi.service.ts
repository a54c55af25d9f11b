import { Injectable } from '@nestjs/common';
import { GROUP_TIME_ZONE } from '@countylink/platform';
import { ReferralKpiRepository } from './referral-kpi.repository';
import { ReferralVolumeQuery } from './referral-volume.query';

/** 双向转诊 volume per Beijing month and primary-care institution (ReferralKpiRepository.volume). */
@Injectable()
export class ReferralVolumeKpiService {
  constructor(private readonly kpis: ReferralKpiRepository) {}

  async report(query: ReferralVolumeQuery) {
    const rows = await this.kpis.volume(query.from ?? null, query.to ?? null, GROUP_TIME_ZONE);
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
