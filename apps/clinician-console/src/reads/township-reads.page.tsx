import { HTMLAttributes, useState } from 'react';
import { PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Table, Typography } from 'antd';
import { useNavigate } from 'react-router-dom';
import { errorText } from '../api/error-text';
import { ReadView } from '../api/reads.api';
import { SEX } from '../app/labels';
import { formatTime } from '../app/time';
import { OrderReadForm } from './order-read.form';
import { modalityLabel, PriorityTag, StatusTag } from './read-tags.component';
import { useReadPage } from './use-read-page';

/** 远程诊断 for a township or family doctor: the reads their institution asked for, newest first, moving live. */
export function TownshipReadsPage() {
  const navigate = useNavigate();
  const [ordering, setOrdering] = useState(false);
  const { reads, rows, pagination } = useReadPage({}, 20);

  return (
    <Card
      title="远程诊断"
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setOrdering(true)} data-testid="order-read">
          申请远程诊断
        </Button>
      }
    >
      {reads.isError && <Alert type="error" showIcon message={errorText(reads.error)} style={{ marginBottom: 16 }} />}
      <Table<ReadView>
        rowKey="id"
        loading={reads.isLoading}
        dataSource={rows}
        pagination={pagination}
        onRow={(r) =>
          ({
            onClick: () => navigate(`/reads/${r.id}`),
            style: { cursor: 'pointer' },
            'data-read-id': r.id,
          }) as HTMLAttributes<HTMLElement>
        }
        columns={[
          {
            title: '检查号',
            dataIndex: 'accessionNumber',
            render: (v: string) => <Typography.Text code>{v}</Typography.Text>,
          },
          {
            title: '患者',
            key: 'patient',
            render: (_, r) =>
              `${r.patient.name ?? '—'}（${r.patient.sex ? (SEX[r.patient.sex] ?? r.patient.sex) : '—'}，${r.patient.patientId}）`,
          },
          { title: '检查类型', dataIndex: 'modality', render: modalityLabel },
          { title: '紧急程度', dataIndex: 'priority', render: (p: string) => <PriorityTag priority={p} /> },
          { title: '状态', dataIndex: 'status', render: (s: string) => <StatusTag status={s} /> },
          { title: '申请时间', dataIndex: 'createdAt', render: (t: string) => formatTime(t) },
          { title: '报告时间', dataIndex: 'reportedAt', render: (t: string | null) => formatTime(t) },
        ]}
      />
      <OrderReadForm
        open={ordering}
        onClose={() => setOrdering(false)}
        onOrdered={(read) => {
          setOrdering(false);
          navigate(`/reads/${read.id}`);
        }}
      />
    </Card>
  );
}
