import { FindOptionsWhere, IsNull, MoreThan, Or } from 'typeorm';
import type { ReferralShare } from './referral-share.entity';

/**
 * A share is live while its referral is neither rejected nor cancelled and its period has not ended
 * (open referrals have no end; a completed one ends REFERRAL_SHARE_DAYS_AFTER_COMPLETION days after
 * it completed). Every reader of referral_share asks through one of these two.
 */
export function liveShare(now: Date = new Date()): FindOptionsWhere<ReferralShare> {
  return { active: true, endsAt: Or(IsNull(), MoreThan(now)) };
}

/** The same rule inside a query builder, on `alias` (a ReferralShare alias). */
export function liveShareSql(alias: string): string {
  return `${alias}.active AND (${alias}.endsAt IS NULL OR ${alias}.endsAt > now())`;
}
