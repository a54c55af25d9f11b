import { Button, Card, Empty, Progress, Space, Tag, Tooltip, Typography } from 'antd';
import { useDirectory } from '../api/directory.api';
import type { ReferralView } from '../api/referrals.api';
import type { PoolView, ScheduleView } from '../api/scheduling.api';
import { formatTime } from '../app/time';
import type { BookingIntent } from './book-place.modal';
import { POOL_STATE, scheduleTitle } from './booking-labels';

interface Props {
  schedules: ScheduleView[];
  referral: ReferralView | undefined;
  onBook(intent: BookingIntent): void;
}

function PoolCount({ label, pool, testId, color }: { label: string; pool: PoolView; testId: string; color: string }) {
  return (
    <div style={{ minWidth: 190 }}>
      <Typography.Text type="secondary">{label}</Typography.Text>
      <div>
        <Typography.Text
          strong
          style={{ fontSize: 20, color: pool.available > 0 ? color : '#8c8c8c' }}
          data-testid={testId}
          data-available={pool.available}
        >
          剩余 {pool.available}
        </Typography.Text>
        <Typography.Text type="secondary"> / {pool.capacity}</Typography.Text>
        {pool.state !== 'open' && <Tag style={{ marginLeft: 8 }}>{POOL_STATE[pool.state]}</Tag>}
      </div>
      <Progress
        percent={pool.capacity ? Math.round((pool.booked / pool.capacity) * 100) : 100}
        showInfo={false}
        size="small"
        strokeColor={color}
      />
    </div>
  );
}

/** One day of one department: each session with its reserved and general places shown apart. */
export function ScheduleList({ schedules, referral, onBook }: Props) {
  const { memberName } = useDirectory();
  if (schedules.length === 0) return <Empty description="当日无号源" />;
  const fits = (s: ScheduleView) =>
    !!referral && referral.to.institutionId === s.institutionId && referral.to.departmentId === s.departmentId;

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {schedules.map((s) => {
        const { reserved, general } = s.pools;
        const why = !referral
          ? '请先在上方选择要预约的转诊患者'
          : !fits(s)
            ? '所选转诊的接收科室与该号源不一致'
            : undefined;
        const reservedOpen = reserved.state === 'open';
        return (
          <Card key={s.id} size="small" data-testid="schedule-card" data-schedule-id={s.id}>
            <div style={{ display: 'flex', alignItems: 'center', gap: 32, flexWrap: 'wrap' }}>
              <div style={{ width: 240 }}>
                <Typography.Text strong>
                  {formatTime(s.startsAt, 'HH:mm')} –{' '}
                  {formatTime(s.endsAt, s.kind === 'ward-beds' ? 'MM-DD HH:mm' : 'HH:mm')}
                </Typography.Text>
                <div>
                  <Typography.Text>{scheduleTitle(s, memberName)}</Typography.Text>
                </div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  预留比例 {Math.round(s.reservedShare * 100)}% · 未约预留号 {formatTime(s.releaseAt, 'MM-DD HH:mm')}{' '}
                  释放
                </Typography.Text>
              </div>
              <PoolCount label="家庭医生预留号" pool={reserved} testId="reserved-available" color="#1668dc" />
              <PoolCount label="普通号" pool={general} testId="general-available" color="#389e0d" />
              <Space style={{ marginLeft: 'auto' }}>
                <Tooltip title={why}>
                  {reservedOpen && reserved.available === 0 ? (
                    <Button
                      disabled={!!why}
                      onClick={() => onBook({ schedule: s, pool: 'reserved', waitlist: true })}
                      data-testid="join-waitlist"
                    >
                      加入候补
                    </Button>
                  ) : (
                    <Button
                      type="primary"
                      disabled={!!why || !reservedOpen}
                      onClick={() => onBook({ schedule: s, pool: 'reserved', waitlist: false })}
                      data-testid="book-reserved"
                    >
                      预约预留号
                    </Button>
                  )}
                </Tooltip>
                <Tooltip title={why}>
                  <Button
                    disabled={!!why || general.state !== 'open' || general.available === 0}
                    onClick={() => onBook({ schedule: s, pool: 'general', waitlist: false })}
                    data-testid="book-general"
                  >
                    预约普通号
                  </Button>
                </Tooltip>
              </Space>
            </div>
          </Card>
        );
      })}
    </Space>
  );
}
