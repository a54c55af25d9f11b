import { registerErrorCodes } from '@countylink/platform';

export enum RealtimeErrorCode {
  INVALID_CURSOR = 'NOTIFICATION_INVALID_CURSOR',
  ALERT_NOT_FOUND = 'ALERT_NOT_FOUND',
  ALERT_NOT_ALLOWED = 'ALERT_NOT_ALLOWED',
}

registerErrorCodes<RealtimeErrorCode>('realtime', {
  [RealtimeErrorCode.INVALID_CURSOR]: { status: 400, userMessage: '通知列表已过期，请刷新后重试' },
  [RealtimeErrorCode.ALERT_NOT_FOUND]: { status: 404, userMessage: '告警不存在或无权访问' },
  [RealtimeErrorCode.ALERT_NOT_ALLOWED]: { status: 403, userMessage: '您不在该告警的通知范围内，不能确认' },
});
