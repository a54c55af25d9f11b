import { lazy, Suspense, useEffect } from 'react';
import { useRealtime } from './realtime-provider';

const loadDialog = () => import('./green-channel-alarm.dialog');
const GreenChannelAlarm = lazy(loadDialog);

/**
 * 绿色通道告警: rings on every console the alert reached until one of the receiving team takes it
 * (the socket's `ack`); the ladder shows who is paged next and when. Closed by the
 * `alert.acknowledged` push on every tab, whoever acknowledged. The dialog (and the ladder's Steps)
 * is its own chunk, fetched right after sign-in rather than in the first download, so it is there
 * before any alarm.
 */
export function GreenChannelAlarmModal() {
  const { openAlerts } = useRealtime();
  useEffect(() => void loadDialog(), []);
  const alerts = openAlerts.filter((a) => a.kind === 'green-channel');
  if (alerts.length === 0) return null;
  return (
    <Suspense fallback={null}>
      <GreenChannelAlarm key={alerts[0].alertId} alert={alerts[0]} more={alerts.length - 1} />
    </Suspense>
  );
}
