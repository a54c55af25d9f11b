import type { ReadTurnaroundFigures, ReferralVolumeRow } from '../api/kpis.api';
import { MODALITY, PRIORITY } from '../app/labels';
import { dayjs, ZONE } from '../app/time';

/** A share (0–1) as 12.5%; — when there is nothing to divide. */
export const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x * 1000) / 10}%`);

/** Twelve months from `fromIso`, each with its up, down and green-channel counts (months with none are zeros). */
export function referralMonths(rows: ReferralVolumeRow[], fromIso: string) {
  const start = dayjs(fromIso).tz(ZONE);
  const keys = Array.from({ length: 12 }, (_, i) => start.add(i, 'month').format('YYYY-MM'));
  const total = (month: string, pick: (r: ReferralVolumeRow) => number) =>
    rows.filter((r) => r.month === month).reduce((n, r) => n + pick(r), 0);
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

export const modalityName = (modality: string) => (modality === '*' ? '其他检查' : (MODALITY[modality] ?? modality));
export const minutes = (m: number | null) => (m === null ? '—' : `${m} 分钟`);

/** 心电图 15/20/30 分钟 (急诊/加急/常规): the deadlines the figures are measured against, as the service set them. */
export function deadlineText(deadlines: Record<string, Record<'emergency' | 'urgent' | 'routine', number>>): string {
  const order = ['emergency', 'urgent', 'routine'] as const;
  const entries = Object.entries(deadlines).sort(([a], [b]) => (a === '*' ? 1 : b === '*' ? -1 : a.localeCompare(b)));
  return `${entries.map(([m, d]) => `${modalityName(m)} ${order.map((p) => d[p]).join('/')}`).join('；')} 分钟（${order.map((p) => PRIORITY[p].label).join('/')}）`;
}

/** Chart series of the turnaround rows: reported on time, late, open past the deadline (stacked), and the on-time share. */
export function turnaroundSeries(rows: ReadTurnaroundFigures[]) {
  return [
    { name: '按时报告', values: rows.map((r) => r.reportedWithinDeadline), color: '#389e0d', stack: 'reads' },
    { name: '超时报告', values: rows.map((r) => r.reportedLate), color: '#faad14', stack: 'reads' },
    { name: '超时未报告', values: rows.map((r) => r.overdueOpen), color: '#cf1322', stack: 'reads' },
    { name: '未到时限', values: rows.map((r) => r.openWithinDeadline), color: '#91caff', stack: 'reads' },
    {
      name: '按时率',
      values: rows.map((r) => (r.withinDeadlineShare === null ? 0 : Math.round(r.withinDeadlineShare * 1000) / 10)),
      color: '#1668dc',
      percent: true,
    },
  ];
}
