import type { ScheduleView } from '../api/scheduling.api';

export const KIND_LABELS: Record<string, string> = {
  'clinic-session': '专家门诊',
  'ward-beds': '住院床位',
  exam: '检查预约',
};

export const POOL_STATE: Record<string, string> = {
  open: '可预约',
  'not-yet-open': '未开放',
  started: '已开始',
  released: '已释放',
};

export const APPOINTMENT_STATUS: Record<string, { label: string; color: string }> = {
  booked: { label: '已预约', color: 'blue' },
  cancelled: { label: '已取消', color: 'default' },
  'no-show': { label: '未到诊', color: 'red' },
  attended: { label: '已就诊', color: 'green' },
};

export const EXAM_MODALITY: Record<string, string> = {
  CT: 'CT',
  MRI: '磁共振 (MRI)',
  ultrasound: '超声',
  DX: 'X线 (DR)',
  ECG: '心电图',
};

export function scheduleTitle(s: ScheduleView, memberName: (id: string | null) => string): string {
  const what =
    s.kind === 'exam'
      ? `${KIND_LABELS.exam} · ${EXAM_MODALITY[s.modality ?? ''] ?? s.modality ?? ''}`
      : (KIND_LABELS[s.kind] ?? s.kind);
  return s.practitionerId ? `${what} · ${memberName(s.practitionerId)}` : what;
}
