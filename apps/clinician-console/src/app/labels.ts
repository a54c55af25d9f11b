/** The words clinicians see for the backbone's codes. */
export const ROLE_LABELS: Record<string, string> = {
  'township-doctor': '基层医生',
  'family-doctor': '家庭医生',
  'county-specialist': '县医院专科医生',
  'referral-coordinator': '转诊协调员',
  'group-admin': '医共体管理员',
  'his-system': 'HIS 系统',
};

export const READ_STATUS: Record<string, { label: string; color: string }> = {
  requested: { label: '待上传影像', color: 'default' },
  ready: { label: '待阅片', color: 'blue' },
  claimed: { label: '阅片中', color: 'orange' },
  reported: { label: '已出报告', color: 'green' },
};

export const PRIORITY: Record<string, { label: string; color: string }> = {
  emergency: { label: '急诊', color: 'red' },
  urgent: { label: '加急', color: 'orange' },
  routine: { label: '常规', color: 'default' },
};

export const MODALITY: Record<string, string> = {
  ECG: '心电图',
  DX: 'X线 (DR)',
  CR: 'X线 (CR)',
};

export const SEX: Record<string, string> = { M: '男', F: '女', O: '其他' };

/** Categories of 危急值 the county reports most; the code travels, the label is shown. */
export const CRITICAL_CATEGORIES: Array<{ value: string; label: string }> = [
  { value: 'acute-mi', label: '急性心肌梗死' },
  { value: 'malignant-arrhythmia', label: '恶性心律失常' },
  { value: 'high-degree-av-block', label: '高度房室传导阻滞' },
  { value: 'pneumothorax', label: '气胸' },
  { value: 'other', label: '其他危急值' },
];

export const NOTIFICATION_LABELS: Record<string, string> = {
  'read.ready': '影像已上传，待阅片',
  'read.claimed': '阅片已认领',
  'read.released': '阅片已退回工作列表',
  'read.reported': '诊断报告已签发',
  'read.amended': '诊断报告已补充',
  'alert.raised': '危急值/紧急告警',
  'alert.escalated': '告警已升级',
  'alert.acknowledged': '告警已确认',
  'referral.requested': '新转诊申请',
  'referral.received': '转诊已接收',
  'referral.accepted': '转诊已同意',
  'referral.rejected': '转诊被拒绝',
  'referral.arrived': '转诊患者已到院',
  'referral.completed': '转诊诊疗完成',
  'referral.cancelled': '转诊已撤销',
  'referral.escalated': '转诊超时未处理，已升级',
  'appointment.booked': '号源已预约',
  'appointment.cancelled': '预约已取消',
  'appointment.no-show': '患者未到诊',
  'appointment.attended': '患者已就诊',
  'appointment.offered-from-waitlist': '候补成功，已预约',
};

export function notificationLabel(type: string): string {
  return NOTIFICATION_LABELS[type] ?? type;
}
