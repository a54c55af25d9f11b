import { registerErrorCodes } from '@countylink/platform';

export enum RealtimeErrorCode {
  INVALID_CURSOR = 'NOTIFICATION_INVALID_CURSOR',
  ALERT_NOT_FOUND = 'ALERT_NOT_FOUND',
  ALERT_NOT_ALLOWED = 'ALERT_NOT_ALLOWED',
}

registerErrorCodes<RealtimeErrorCode>({
  [RealtimeErrorCode.INVALID_CURSOR]: 400,
  [RealtimeErrorCode.ALERT_NOT_FOUND]: 404,
  [RealtimeErrorCode.ALERT_NOT_ALLOWED]: 403,
});
