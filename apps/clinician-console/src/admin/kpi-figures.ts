import type { ReferralVolumeRow } from '../api/kpis.api';
import { dayjs, ZONE } from '../app/time';

/** Twelve months from `fromIso`, each with its up, down and green-channel counts (months with none are zeros). */
export function referralMonths(rows: ReferralVolumeRow[], fromIso: string) {
  const start = dayjs(fromIso).tz(ZONE);
  const keys = Array.from({ length: 12 }, (_, i) => start.add(i, 'month').format('YYYY-MM'));
  const total = (month: string, pick: (r: ReferralVolumeRow) => number) => rows.filter((r) => r.month === month).reduce((n, r) => n + pick(r), 0);
  const byInstitution = new Map<string, { up: number; down: number }>();
  for (const r of rows) {
    const n = byInstitution.get(r.primaryCareInstitutionId) ?? { up: 0, down: 0 };
    n[r.direction] += r.referrals;
    byInstitution.set(r.primaryCareInstitutionId, n);
  }
  return {
    labels: keys.map((k) => `${Number(k.slice(5))}月`),
    up: keys.map((k) => total(k, (r) => (r.direction === 'up' ? r.referrals : 0))),
    down: keys.map((k) => total(k, (r) => (r.direction === 'down' ? r.referrals : 0))),
    green: keys.map((k) => total(k, (r) => r.greenChannel)),
    byInstitution: [...byInstitution.entries()],
  };
}
