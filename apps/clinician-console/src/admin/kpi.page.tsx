import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Col, DatePicker, Row, Space, Statistic, Table, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useDirectory } from '../api/directory.api';
import { errorText } from '../api/error-text';
import { getReferralVolume, getReservedCapacity, kpiKeys, ReservedCapacityRow } from '../api/kpis.api';
import { dayjs, ZONE } from '../app/time';
import { KIND_LABELS } from '../booking/booking-labels';
import { ChartSlot } from './kpi-chart-slot';
import { pct, referralMonths } from './kpi-figures';
import { ReadTurnaroundCard } from './read-turnaround.card';

/**
 * 医共体管理 · 运行指标: reserved capacity offered against used and released (specialist-slots),
 * up/down referrals per month (referral-registry) and read turnaround against deadlines
 * (remote-diagnosis), from their public KPI endpoints.
 */
export function KpiPage() {
  const { departmentName, institutionName } = useDirectory();
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => [
    dayjs().tz(ZONE).subtract(30, 'day').startOf('day'),
    dayjs().tz(ZONE).add(15, 'day').startOf('day'),
  ]);
  const from = range[0].toISOString();
  const to = range[1].toISOString();
  const monthsFrom = dayjs().tz(ZONE).subtract(11, 'month').startOf('month').toISOString();
  const reserved = useQuery({
    queryKey: kpiKeys.reservedCapacity(from, to),
    queryFn: () => getReservedCapacity(from, to),
  });
  const volume = useQuery({
    queryKey: kpiKeys.referralVolume(monthsFrom),
    queryFn: () => getReferralVolume(monthsFrom),
  });
  const rows = reserved.data?.rows ?? [];
  const sum = (k: keyof ReservedCapacityRow) => rows.reduce((n, r) => n + Number(r[k] ?? 0), 0);
  const offered = sum('reserved');
  const used = sum('bookedThroughReferral');
  const label = (r: ReservedCapacityRow) =>
    `${departmentName(r.institutionId, r.departmentId)}·${KIND_LABELS[r.kind] ?? r.kind}`;
  const months = referralMonths(volume.data?.rows ?? [], monthsFrom);

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title="预留号源（按号源日期）"
        extra={
          <DatePicker.RangePicker
            value={range}
            allowClear={false}
            onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])}
          />
        }
      >
        {reserved.isError && <Alert type="error" showIcon message={errorText(reserved.error)} />}
        <Row gutter={16} style={{ marginBottom: 16 }}>
          <Col span={5}>
            <Statistic title="预留号源（发布时）" value={offered} />
          </Col>
          <Col span={5}>
            <Statistic title="经转诊预约使用" value={used} />
          </Col>
          <Col span={5}>
            <Statistic title="预留使用率" value={offered ? pct(used / offered) : '—'} />
          </Col>
          <Col span={5}>
            <Statistic title="未用释放为普通号" value={sum('releasedUnused')} />
          </Col>
          <Col span={4}>
            <Statistic
              title="转诊患者按约就诊"
              value={`${sum('seenWithinReservation')} / ${sum('referredPatients')}`}
            />
          </Col>
        </Row>
        <ChartSlot
          testId="chart-reserved"
          categories={rows.map(label)}
          series={[
            { name: '预留号源', values: rows.map((r) => r.reserved), color: '#91caff' },
            { name: '转诊使用', values: rows.map((r) => r.bookedThroughReferral), color: '#1668dc' },
            { name: '未用释放', values: rows.map((r) => r.releasedUnused), color: '#faad14' },
            {
              name: '使用率',
              values: rows.map((r) => (r.reserved ? Math.round((r.bookedThroughReferral / r.reserved) * 100) : 0)),
              color: '#389e0d',
              percent: true,
            },
          ]}
        />
        <Table<ReservedCapacityRow>
          rowKey={(r) => `${r.institutionId}/${r.departmentId}/${r.kind}`}
          size="small"
          pagination={false}
          dataSource={rows}
          style={{ marginTop: 12 }}
          columns={[
            { title: '科室 · 类型', key: 'what', render: (_, r) => label(r) },
            { title: '时段数', dataIndex: 'schedules' },
            { title: '总号源', dataIndex: 'capacity' },
            { title: '预留', dataIndex: 'reserved' },
            { title: '预留比例', dataIndex: 'reservedShare', render: pct },
            { title: '转诊使用', dataIndex: 'bookedThroughReferral' },
            { title: '未用释放', dataIndex: 'releasedUnused' },
            { title: '按约就诊率', dataIndex: 'seenWithinReservationShare', render: pct },
          ]}
        />
      </Card>
      <Card title="双向转诊量（近12个月，北京时间）">
        {volume.isError && <Alert type="error" showIcon message={errorText(volume.error)} />}
        <ChartSlot
          testId="chart-referrals"
          categories={months.labels}
          series={[
            { name: '上转', values: months.up, color: '#1668dc' },
            { name: '下转', values: months.down, color: '#52c41a' },
            { name: '其中绿色通道', values: months.green, color: '#cf1322', stack: 'green' },
          ]}
        />
        <Typography.Text type="secondary">
          各乡镇：
          {months.byInstitution.map(([id, n]) => `${institutionName(id)} 上转 ${n.up} / 下转 ${n.down}`).join('；') ||
            '暂无'}
        </Typography.Text>
      </Card>
      <ReadTurnaroundCard />
    </Space>
  );
}
