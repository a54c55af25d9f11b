/** The words clinicians see for a referral's codes (the reads' words are in app/labels.ts). */
export const REFERRAL_STATUS: Record<string, { label: string; color: string }> = {
  requested: { label: '待接收', color: 'blue' },
  received: { label: '已接收', color: 'cyan' },
  accepted: { label: '已同意', color: 'geekblue' },
  rejected: { label: '已拒绝', color: 'red' },
  arrived: { label: '患者已到院', color: 'orange' },
  completed: { label: '已完成', color: 'green' },
  cancelled: { label: '已撤销', color: 'default' },
};

export const URGENCY: Record<string, { label: string; color: string }> = {
  emergency: { label: '急诊', color: 'red' },
  urgent: { label: '加急', color: 'orange' },
  routine: { label: '常规', color: 'default' },
};

export const GREEN_CHANNEL_CENTRES: Array<{ value: string; label: string }> = [
  { value: 'chest-pain', label: '胸痛中心' },
  { value: 'stroke', label: '卒中中心' },
  { value: 'trauma', label: '创伤中心' },
  { value: 'maternal', label: '危重孕产妇救治中心' },
  { value: 'neonatal', label: '危重新生儿救治中心' },
];

export function centreLabel(centre: string | null | undefined): string {
  return GREEN_CHANNEL_CENTRES.find((c) => c.value === centre)?.label ?? centre ?? '—';
}

export const DIRECTION: Record<string, string> = { up: '上转', down: '下转' };

export const PATIENT_SEX: Record<string, string> = { male: '男', female: '女', other: '其他', unknown: '未知' };

export const ACTION_LABELS: Record<string, string> = {
  create: '发起转诊',
  receive: '接收',
  accept: '同意接诊',
  reject: '拒绝',
  arrive: '患者到院',
  complete: '诊疗完成',
  cancel: '撤销',
};

/** The alert ladder's steps, bottom first (apps/clinician-realtime alert-ladder.ts). */
export const LADDER_STEPS: Array<{ step: string; label: string }> = [
  { step: 'on-duty', label: '值班医生' },
  { step: 'department-head', label: '科主任' },
  { step: 'coordinator', label: '转诊中心' },
];
