import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';

dayjs.extend(utc);
dayjs.extend(timezone);
dayjs.locale('zh-cn');

/** The group works on Beijing time, whatever the workstation's clock zone says. */
export const ZONE = 'Asia/Shanghai';

/**
 * Beijing time is UTC+8 all year (no daylight saving since 1991), so a fixed offset gives the same
 * wall clock as `.tz(ZONE)` without the timezone plugin's Intl formatting per call: that cost
 * 100–300 ms of the worklist's first render (50 rows × a few timestamps each).
 */
const SHANGHAI_OFFSET_MINUTES = 8 * 60;

export function shanghai(iso: string | number | Date) {
  return dayjs(iso).utcOffset(SHANGHAI_OFFSET_MINUTES);
}

export function formatTime(iso: string | null | undefined, pattern = 'YYYY-MM-DD HH:mm'): string {
  return iso ? shanghai(iso).format(pattern) : '—';
}

/** 12分05秒, 1小时03分: a countdown a reader takes in at a glance. */
export function formatDuration(ms: number): string {
  const total = Math.floor(Math.abs(ms) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}小时${pad(m)}分` : `${m}分${pad(s)}秒`;
}

export { dayjs };
