import { Steps, Typography } from 'antd';
import { Member, useDirectory } from '../api/directory.api';
import { formatDuration, formatTime } from '../app/time';
import { LADDER_STEPS } from '../referrals/referral-labels';
import { useNow } from '../common/use-now';
import { AlertNotice } from './realtime-types';

/** Who stands on a step, as the realtime app pages them (alert.service.ts stepAudience, from the directory). */
function peopleOf(step: string, alert: AlertNotice, members: Member[]): Member[] {
  if (step === 'coordinator')
    return members.filter((m) => m.duty === 'coordinator' && m.institutionId === alert.institutionId);
  return members.filter(
    (m) =>
      m.duty === step &&
      m.institutionId === alert.institutionId &&
      (!alert.departmentId || m.departmentId === alert.departmentId),
  );
}

/**
 * The escalation ladder of an alert: every level with its people, the level it stands on now, and
 * when it climbs to the next if nobody acknowledges. It moves as `alert.escalated` pushes arrive.
 */
export function AlertLadder({ alert }: { alert: AlertNotice }) {
  const { members } = useDirectory();
  const now = useNow();
  const current = Math.max(
    0,
    LADDER_STEPS.findIndex((s) => s.step === alert.step),
  );
  const next = LADDER_STEPS[current + 1];
  const left = alert.acknowledgeDueAt ? Date.parse(alert.acknowledgeDueAt) - now : null;
  const names = (step: string) =>
    peopleOf(step, alert, members)
      .map((m) => m.name)
      .join('、') || '—';

  return (
    <div data-testid="alert-ladder" data-level={current + 1} data-step={alert.step}>
      <Steps
        size="small"
        current={current}
        status={current === LADDER_STEPS.length - 1 ? 'error' : 'process'}
        items={LADDER_STEPS.map((s, i) => ({
          title: `第${i + 1}级 · ${s.label}`,
          description: (
            <Typography.Text type={i === current ? undefined : 'secondary'} style={{ fontSize: 12 }}>
              {names(s.step)}
            </Typography.Text>
          ),
        }))}
      />
      <Typography.Paragraph style={{ marginTop: 12, marginBottom: 0 }} data-testid="ladder-next">
        {next && left !== null ? (
          <>
            当前第 {current + 1} 级（{LADDER_STEPS[current].label}）。
            {left > 0 ? (
              <>
                如{' '}
                <Typography.Text strong type="danger">
                  {formatDuration(left)}
                </Typography.Text>{' '}
                内（{formatTime(alert.acknowledgeDueAt, 'HH:mm:ss')} 前）无人确认，
              </>
            ) : (
              '已到时限，正在'
            )}
            升级至第 {current + 2} 级：{next.label}（{names(next.step)}）。
          </>
        ) : (
          <>已升级至最高级（{LADDER_STEPS[current].label}），请立即处理。</>
        )}
      </Typography.Paragraph>
    </div>
  );
}
