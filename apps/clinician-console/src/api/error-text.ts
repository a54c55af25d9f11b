import { ApiError } from './http';

const BY_CODE: Record<string, string> = {
  NOT_FOUND: '不存在或无权访问',
  READ_NOT_FOUND: '不存在或无权访问',
  DICOM_NOT_FOUND: '不存在或无权访问',
  READ_CLAIMED_BY_ANOTHER: '该申请已被其他医生认领',
  READ_INVALID_TRANSITION: '当前状态不允许此操作，请刷新后重试',
  READ_NOT_ALLOWED: '您无权进行此操作',
  READ_ACCESSION_IN_USE: '检查号已被本机构的其他申请使用',
  REPORT_TEMPLATE_NOT_FOUND: '模板不存在或已被删除',
  REPORT_TEMPLATE_EXISTS: '该检查类型下已有同名模板',
  REPORT_TEMPLATE_STALE: '该模板已被他人修改，已刷新为最新内容，请重新编辑',
  VALIDATION_FAILED: '填写的内容不符合要求',
  FORBIDDEN: '您的角色无权进行此操作',
  UNAUTHENTICATED: '登录已失效，请重新登录',
  DICOM_PAYLOAD_TOO_LARGE: '文件过大，超过了允许的上传大小',
  DICOM_UNSUPPORTED_MEDIA_TYPE: '上传格式不受支持',
  DICOM_MALFORMED_MULTIPART: '上传数据不完整，请重试',
  DICOM_NOT_RENDERABLE: '该文件无法显示',
  REFERRAL_NOT_FOUND: '不存在或无权访问',
  REFERRAL_INVALID_TRANSITION: '转诊当前状态不允许此操作，请刷新后重试',
  REFERRAL_NOT_ALLOWED: '您无权处理该转诊（须由对应机构或科室处理）',
  REFERRAL_ROUTE_NOT_ALLOWED: '转诊只能由基层上转至县医院，或由县医院下转至基层',
  REFERRAL_UNKNOWN_DESTINATION: '接收机构或科室不存在',
  REFERRAL_JUSTIFICATION_REQUIRED: '该诊断属于基层诊疗目录，上转须填写转诊理由说明',
  REFERRAL_GREEN_CHANNEL_INVALID: '绿色通道仅用于急诊上转',
  REFERRAL_RETURN_LINK_INVALID: '下转须关联本院已接诊（患者已到院）的上转记录',
  REFERRAL_REHABILITATION_PLAN_REQUIRED: '下转须填写康复方案',
  REFERRAL_IDENTITY_NUMBER_INVALID: '身份证号不正确',
  SCHEDULING_SCHEDULE_NOT_FOUND: '不存在或无权访问',
  SCHEDULING_APPOINTMENT_NOT_FOUND: '不存在或无权访问',
  SCHEDULING_RESERVED_NEEDS_FAMILY_DOCTOR: '预留号源仅供家庭医生为签约转诊患者预约',
  SCHEDULING_REFERRAL_REQUIRED: '预约预留号源须关联一条转诊',
  SCHEDULING_NO_OPEN_REFERRAL: '未找到本机构进行中的转诊（刚提交的转诊请稍候几秒再试）',
  SCHEDULING_REFERRAL_CLOSED: '该转诊已结束，不能再预约',
  SCHEDULING_REFERRAL_OTHER_DEPARTMENT: '该转诊的接收科室与号源科室不一致',
  SCHEDULING_POOL_FULL: '号源已约满',
  SCHEDULING_POOL_NOT_OPEN: '号源尚未开放预约',
  SCHEDULING_RESERVE_RELEASED: '预留号源已释放为普通号源',
  SCHEDULING_SESSION_STARTED: '该时段已开始，不能再预约',
  SCHEDULING_ALREADY_BOOKED: '该患者在此时段已有预约',
  SCHEDULING_APPOINTMENT_INVALID_TRANSITION: '预约当前状态不允许此操作，请刷新后重试',
  SCHEDULING_RESERVED_PLACES_FREE: '仍有预留号源，请直接预约',
  SCHEDULING_ALREADY_WAITING: '该转诊已在候补队列中',
  ALERT_NOT_FOUND: '告警不存在或无权访问',
  ALERT_NOT_ALLOWED: '您不在该告警的通知范围内，不能确认',
};

/** A sentence for the clinician; the server's own words stay available in the console log. */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) {
    const known = BY_CODE[err.code];
    if (err.code === 'VALIDATION_FAILED' && Array.isArray(err.details)) {
      const fields = (err.details as Array<{ field: string }>).map((d) => d.field).join('、');
      return `${known}：${fields}`;
    }
    if (known) return known;
    if (err.status >= 500) return '服务器暂时无法处理，请稍后重试';
    return `操作失败（${err.code}）`;
  }
  if (err instanceof TypeError) return '网络连接失败，请检查网络';
  return '操作失败，请重试';
}
