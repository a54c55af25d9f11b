import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Col, DatePicker, Row, Statistic, Table, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useDirectory } from '../api/directory.api';
import { errorText } from '../api/error-text';
import { getReadTurnaround, kpiKeys, ReadTurnaroundRow } from '../api/kpis.api';
import { dayjs, formatTime, ZONE } from '../app/time';
import { ChartSlot } from './kpi-chart-slot';
import { deadlineText, minutes, modalityName, pct, turnaroundSeries } from './kpi-figures';

/** The service answers at most 366 days at once; the picker offers no longer range. */
const MAX_RANGE_DAYS = 366;
const DAY = 'YYYY-MM-DD';

/**
 * 阅片时效: reads that became ready on the chosen Beijing days, per modality and requesting township,
 * against the deadline of their modality and priority (GET /api/kpis/read-turnaround).
 */
export function ReadTurnaroundCard() {
  const { institutionName } = useDirectory();
  const today = dayjs().tz(ZONE).startOf('day');
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => [today.subtract(29, 'day'), today]);
  const from = range[0].format(DAY);
  const to = range[1].format(DAY);
  const turnaround = useQuery({
    queryKey: kpiKeys.readTurnaround(from, to),
    queryFn: () => getReadTurnaround(from, to),
  });
  const data = turnaround.data;
  const rows = data?.rows ?? [];
  const label = (r: ReadTurnaroundRow) => `${modalityName(r.modality)}·${institutionName(r.requestingInstitutionId)}`;
  const total = data?.total;

  return (
    <Card
      title="阅片时效（按检查类型、乡镇，北京时间）"
      data-testid="read-turnaround"
      extra={
        <DatePicker.RangePicker
          value={range}
          allowClear={false}
          disabledDate={(d, info) =>
            d.isAfter(today, 'day') || (info.from ? Math.abs(d.diff(info.from, 'day')) >= MAX_RANGE_DAYS : false)
          }
          onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])}
        />
      }
    >
      {turnaround.isError && <Alert type="error" showIcon message={errorText(turnaround.error)} />}
      <Row gutter={16} style={{ marginBottom: 16 }}>
        <Col span={4}>
          <Statistic title="影像就绪的阅片" value={total?.ready ?? '—'} />
        </Col>
        <Col span={4}>
          <Statistic title="已出报告" value={total?.reported ?? '—'} />
        </Col>
        <Col span={4}>
          <Statistic title="按时报告率" value={total ? pct(total.withinDeadlineShare) : '—'} />
        </Col>
        <Col span={4}>
          <Statistic
            title="超时未报告"
            value={total?.overdueOpen ?? '—'}
            valueStyle={total?.overdueOpen ? { color: '#cf1322' } : undefined}
          />
        </Col>
        <Col span={4}>
          <Statistic title="报告用时中位数" value={total ? minutes(total.p50Minutes) : '—'} />
        </Col>
        <Col span={4}>
          <Statistic title="报告用时 P90" value={total ? minutes(total.p90Minutes) : '—'} />
        </Col>
      </Row>
      <ChartSlot testId="chart-turnaround" categories={rows.map(label)} series={turnaroundSeries(rows)} />
      <div data-testid="turnaround-table">
        <Table<ReadTurnaroundRow>
          rowKey={(r) => `${r.modality}/${r.requestingInstitutionId}`}
          size="small"
          pagination={false}
          dataSource={rows}
          style={{ marginTop: 12 }}
          loading={turnaround.isLoading}
          locale={{ emptyText: '所选日期内没有就绪的阅片' }}
          columns={[
            { title: '检查类型', dataIndex: 'modality', render: modalityName },
            { title: '申请机构', dataIndex: 'requestingInstitutionId', render: (id: string) => institutionName(id) },
            { title: '就绪', dataIndex: 'ready' },
            { title: '已报告', dataIndex: 'reported' },
            { title: '按时报告', dataIndex: 'reportedWithinDeadline' },
            { title: '超时报告', dataIndex: 'reportedLate' },
            { title: '超时未报告', dataIndex: 'overdueOpen' },
            { title: '未到时限', dataIndex: 'openWithinDeadline' },
            { title: '按时率', dataIndex: 'withinDeadlineShare', render: pct },
            { title: '用时中位数', dataIndex: 'p50Minutes', render: minutes },
            { title: '用时 P90', dataIndex: 'p90Minutes', render: minutes },
          ]}
        />
      </div>
      {data && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
          各检查类型：
          {data.byModality
            .map(
              (m) =>
                `${modalityName(m.modality)} 按时率 ${pct(m.withinDeadlineShare)}，中位 ${minutes(m.p50Minutes)}，P90 ${minutes(m.p90Minutes)}`,
            )
            .join('；') || '暂无'}
          <br />
          时限：{deadlineText(data.deadlines)}。按时率 = 按时报告 ÷（已报告 +
          超时未报告）；用时自影像就绪至首次签发报告，截至 {formatTime(data.asOf, 'MM-DD HH:mm')}。
        </Typography.Paragraph>
      )}
    </Card>
  );
}
