import { ApiError } from './http';

/**
 * A sentence for the clinician: the server's `userMessage` (each module registers one per error
 * code), else — a server or proxy that sent none — the developer's message.
 */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.userMessage) {
      if (err.code === 'VALIDATION_FAILED' && Array.isArray(err.details)) {
        const fields = (err.details as Array<{ field: string }>).map((d) => d.field).join('、');
        return `${err.userMessage}：${fields}`;
      }
      return err.userMessage;
    }
    if (err.status >= 500) return '服务器暂时无法处理，请稍后重试';
    return err.message ? `${err.message}（${err.code}）` : `操作失败（${err.code}）`;
  }
  if (err instanceof TypeError) return '网络连接失败，请检查网络';
  return '操作失败，请重试';
}
