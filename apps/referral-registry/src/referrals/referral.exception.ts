import { registerErrorCodes } from '@countylink/platform';

export enum ReferralErrorCode {
  NOT_FOUND = 'REFERRAL_NOT_FOUND',
  INVALID_TRANSITION = 'REFERRAL_INVALID_TRANSITION',
  NOT_ALLOWED = 'REFERRAL_NOT_ALLOWED',
  ROUTE_NOT_ALLOWED = 'REFERRAL_ROUTE_NOT_ALLOWED',
  UNKNOWN_DESTINATION = 'REFERRAL_UNKNOWN_DESTINATION',
  JUSTIFICATION_REQUIRED = 'REFERRAL_JUSTIFICATION_REQUIRED',
  GREEN_CHANNEL_INVALID = 'REFERRAL_GREEN_CHANNEL_INVALID',
  RETURN_LINK_INVALID = 'REFERRAL_RETURN_LINK_INVALID',
  REHABILITATION_PLAN_REQUIRED = 'REFERRAL_REHABILITATION_PLAN_REQUIRED',
  IDENTITY_NUMBER_INVALID = 'REFERRAL_IDENTITY_NUMBER_INVALID',
  INVALID_CURSOR = 'REFERRAL_INVALID_CURSOR',
}

registerErrorCodes<ReferralErrorCode>('referral', {
  [ReferralErrorCode.NOT_FOUND]: { status: 404, userMessage: '不存在或无权访问' },
  [ReferralErrorCode.INVALID_TRANSITION]: { status: 409, userMessage: '转诊当前状态不允许此操作，请刷新后重试' },
  [ReferralErrorCode.NOT_ALLOWED]: { status: 403, userMessage: '您无权处理该转诊（须由对应机构或科室处理）' },
  [ReferralErrorCode.ROUTE_NOT_ALLOWED]: {
    status: 422,
    userMessage: '转诊只能由基层上转至县医院，或由县医院下转至基层',
  },
  [ReferralErrorCode.UNKNOWN_DESTINATION]: { status: 422, userMessage: '接收机构或科室不存在，请重新选择' },
  [ReferralErrorCode.JUSTIFICATION_REQUIRED]: {
    status: 422,
    userMessage: '该诊断属于基层诊疗目录，上转须填写转诊理由说明',
  },
  [ReferralErrorCode.GREEN_CHANNEL_INVALID]: { status: 422, userMessage: '绿色通道仅用于急诊上转' },
  [ReferralErrorCode.RETURN_LINK_INVALID]: { status: 422, userMessage: '下转须关联本院已接诊（患者已到院）的上转记录' },
  [ReferralErrorCode.REHABILITATION_PLAN_REQUIRED]: { status: 422, userMessage: '下转须填写康复方案' },
  [ReferralErrorCode.IDENTITY_NUMBER_INVALID]: { status: 422, userMessage: '身份证号不正确，请核对后重新填写' },
  [ReferralErrorCode.INVALID_CURSOR]: { status: 400, userMessage: '列表已过期，请刷新后重试' },
});
