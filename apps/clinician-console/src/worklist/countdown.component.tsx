import { Typography } from 'antd';
import { formatDuration } from '../app/time';
import { useNow } from '../common/use-now';

/** Amber once less than this share of the read's time is left (or 5 minutes, whichever comes first). */
const AMBER_SHARE = 0.3;
const AMBER_MS = 5 * 60_000;

export type Urgency = 'ok' | 'near' | 'overdue';

export function urgencyOf(dueAt: string, readyAt: string | null, now: number): Urgency {
  const left = Date.parse(dueAt) - now;
  if (left <= 0) return 'overdue';
  const window = readyAt ? Date.parse(dueAt) - Date.parse(readyAt) : AMBER_MS / AMBER_SHARE;
  return left <= Math.max(window * AMBER_SHARE, Math.min(AMBER_MS, window / 2)) ? 'near' : 'ok';
}

const COLOR: Record<Urgency, string> = { ok: '#389e0d', near: '#d48806', overdue: '#cf1322' };

/** Time left until the read's deadline: green, amber as it nears, red (and counting up) once passed. */
export function Countdown({ dueAt, readyAt }: { dueAt: string | null; readyAt: string | null }) {
  const now = useNow();
  if (!dueAt) return <Typography.Text type="secondary">—</Typography.Text>;
  const urgency = urgencyOf(dueAt, readyAt, now);
  const left = Date.parse(dueAt) - now;
  return (
    <Typography.Text
      strong
      style={{ color: COLOR[urgency], fontVariantNumeric: 'tabular-nums' }}
      data-testid="countdown"
      data-urgency={urgency}
    >
      {urgency === 'overdue' ? `已超时 ${formatDuration(left)}` : `剩余 ${formatDuration(left)}`}
    </Typography.Text>
  );
}
