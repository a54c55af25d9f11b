import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Select, Table, Tag, Typography } from 'antd';
import { useDirectory } from '../api/directory.api';
import { errorText } from '../api/error-text';
import { listSchedules, schedulingKeys, ScheduleView } from '../api/scheduling.api';
import { dayjs, formatTime, ZONE } from '../app/time';
import { POOL_STATE, scheduleTitle } from '../booking/booking-labels';

/**
 * 号源与预留: every schedule of the coming two weeks (and the last one), with its reserve share and
 * both pools, and what its release did or will do with unbooked reserved places.
 */
export function SchedulesAdminPage() {
  const { departmentName, memberName } = useDirectory();
  const [department, setDepartment] = useState<string>('');
  const params = {
    from: dayjs().tz(ZONE).subtract(7, 'day').startOf('day').toISOString(),
    ...(department ? { departmentId: department } : {}),
  };
  const schedules = useQuery({ queryKey: schedulingKeys.schedules(params), queryFn: () => listSchedules(params) });
  const items = schedules.data?.items ?? [];
  const departments = [...new Map(items.map((s) => [s.departmentId, s])).values()];

  return (
    <Card
      title="号源与预留比例"
      extra={
        <Select
          style={{ width: 200 }}
          value={department}
          onChange={setDepartment}
          options={[
            { value: '', label: '全部科室' },
            ...departments.map((s) => ({
              value: s.departmentId,
              label: departmentName(s.institutionId, s.departmentId),
            })),
          ]}
        />
      }
    >
      {schedules.isError && (
        <Alert type="error" showIcon message={errorText(schedules.error)} style={{ marginBottom: 16 }} />
      )}
      <Table<ScheduleView>
        rowKey="id"
        size="small"
        loading={schedules.isLoading}
        dataSource={items}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        columns={[
          { title: '时间', key: 'at', width: 170, render: (_, s) => formatTime(s.startsAt, 'MM-DD dddd HH:mm') },
          { title: '科室', key: 'dept', width: 150, render: (_, s) => departmentName(s.institutionId, s.departmentId) },
          { title: '号源', key: 'what', width: 220, render: (_, s) => scheduleTitle(s, memberName) },
          { title: '总数', dataIndex: 'capacity', width: 70 },
          {
            title: '预留比例',
            dataIndex: 'reservedShare',
            width: 90,
            render: (x: number) => <Tag color={x > 0.2 ? 'blue' : undefined}>{Math.round(x * 100)}%</Tag>,
          },
          {
            title: '预留（已约/总）',
            key: 'reserved',
            render: (_, s) =>
              `${s.pools.reserved.booked} / ${s.pools.reserved.capacity}（发布时 ${s.reservedAtPublication}）`,
          },
          {
            title: '普通（已约/总）',
            key: 'general',
            render: (_, s) => `${s.pools.general.booked} / ${s.pools.general.capacity}`,
          },
          {
            title: '预留释放',
            key: 'release',
            render: (_, s) =>
              s.reserveReleased ? (
                <Typography.Text type="warning">已释放 {s.releasedUnused} 个未用预留号</Typography.Text>
              ) : (
                <Typography.Text type="secondary">{formatTime(s.releaseAt, 'MM-DD HH:mm')} 释放</Typography.Text>
              ),
          },
          { title: '预留号状态', key: 'state', width: 100, render: (_, s) => POOL_STATE[s.pools.reserved.state] },
        ]}
      />
    </Card>
  );
}
