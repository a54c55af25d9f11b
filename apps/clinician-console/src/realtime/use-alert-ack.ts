import { useState } from 'react';
import { App } from 'antd';
import { errorText } from '../api/error-text';
import { useRealtime } from './realtime-provider';

/** Acknowledging an alert from a dialog: one request at a time, and the outcome said in Chinese. */
export function useAlertAck(alertId: string, done: string) {
  const { ack } = useRealtime();
  const { message } = App.useApp();
  const [sending, setSending] = useState(false);
  const confirm = async (readBack?: string) => {
    setSending(true);
    try {
      const result = await ack(alertId, readBack);
      if (!result.ok) void message.error(`确认失败：${result.error.userMessage || result.error.message}`);
      else void message.success(done);
    } catch (err) {
      void message.error(`确认失败：${errorText(err)}`);
    } finally {
      setSending(false);
    }
  };
  return { sending, confirm };
}
