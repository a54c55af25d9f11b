import { HTMLAttributes, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Space, Table, Typography } from 'antd';
import { useNavigate } from 'react-router-dom';
import { useDirectory } from '../api/directory.api';
import { errorText } from '../api/error-text';
import { claimRead, readKeys, ReadView, releaseRead } from '../api/reads.api';
import { SEX } from '../app/labels';
import { formatTime } from '../app/time';
import { useSignedIn } from '../auth/session-context';
import { modalityLabel, PriorityTag, StatusTag } from '../reads/read-tags.component';
import { useReadPage } from '../reads/use-read-page';
import { Countdown, urgencyOf } from './countdown.component';
import { initialWorklistFilters, WORKLIST_PAGE_SIZE, worklistReadFilters } from './worklist-defaults';
import { WorklistFilterValues, WorklistFilters } from './worklist-filters.component';

const ROW_TINT = { ok: undefined, near: '#fffbe6', overdue: '#fff1f0' } as const;

/**
 * 工作列表 of a county reading desk: priority, then deadline (the server's order), live. The desk's own
 * department is the default filter, so the ECG room opens on ECGs.
 */
export function WorklistPage() {
  const session = useSignedIn();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const { institutionName, memberName, departmentName } = useDirectory();
  const [filters, setFilters] = useState<WorklistFilterValues>(() => initialWorklistFilters(session));
  const { reads, rows, pagination } = useReadPage(worklistReadFilters(filters), WORKLIST_PAGE_SIZE);

  const refresh = () => void queryClient.invalidateQueries({ queryKey: readKeys.all });
  const claim = useMutation({
    mutationFn: claimRead,
    onSuccess: (r) => {
      refresh();
      navigate(`/worklist/${r.id}`);
    },
    onError: (err) => {
      refresh();
      void message.error(`认领失败：${errorText(err)}`);
    },
  });
  const release = useMutation({
    mutationFn: (id: string) => releaseRead(id),
    onSuccess: () => {
      refresh();
      void message.success('已退回工作列表');
    },
    onError: (err) => void message.error(`释放失败：${errorText(err)}`),
  });

  const actions = (r: ReadView) => {
    // A read routed to another department is that department's to claim (the server says 403 too).
    const ours = !r.readBy.departmentId || r.readBy.departmentId === session.departmentId;
    if (r.status === 'ready' && !ours)
      return (
        <Typography.Text type="secondary">
          {departmentName(r.readBy.institutionId, r.readBy.departmentId)}阅片
        </Typography.Text>
      );
    if (r.status === 'ready')
      return (
        <Button
          type="primary"
          size="small"
          loading={claim.isPending && claim.variables === r.id}
          onClick={() => claim.mutate(r.id)}
          data-testid="claim"
        >
          认领
        </Button>
      );
    if (r.status === 'claimed' && r.claim?.by === session.login) {
      return (
        <Space>
          <Button type="primary" size="small" onClick={() => navigate(`/worklist/${r.id}`)} data-testid="open">
            阅片
          </Button>
          <Button
            size="small"
            loading={release.isPending && release.variables === r.id}
            onClick={() => release.mutate(r.id)}
            data-testid="release"
          >
            释放
          </Button>
        </Space>
      );
    }
    if (r.status === 'claimed')
      return <Typography.Text type="secondary">{memberName(r.claim?.by)} 阅片中</Typography.Text>;
    return (
      <Button size="small" onClick={() => navigate(`/worklist/${r.id}`)}>
        查看
      </Button>
    );
  };

  return (
    <Card title="工作列表" extra={<WorklistFilters value={filters} onChange={setFilters} />}>
      {reads.isError && <Alert type="error" showIcon message={errorText(reads.error)} style={{ marginBottom: 16 }} />}
      <Table<ReadView>
        rowKey="id"
        size="middle"
        loading={reads.isLoading}
        dataSource={rows}
        pagination={pagination}
        onRow={(r) =>
          ({
            'data-read-id': r.id,
            'data-accession': r.accessionNumber,
            style: {
              background:
                r.dueAt && r.status !== 'reported' ? ROW_TINT[urgencyOf(r.dueAt, r.readyAt, Date.now())] : undefined,
            },
          }) as HTMLAttributes<HTMLElement>
        }
        columns={[
          { title: '紧急程度', dataIndex: 'priority', width: 90, render: (p: string) => <PriorityTag priority={p} /> },
          { title: '检查', dataIndex: 'modality', width: 100, render: modalityLabel },
          {
            title: '患者',
            key: 'patient',
            render: (_, r) =>
              `${r.patient.name ?? '—'}（${r.patient.sex ? (SEX[r.patient.sex] ?? r.patient.sex) : '—'}）`,
          },
          { title: '申请机构', key: 'from', render: (_, r) => institutionName(r.requestedBy.institutionId) },
          { title: '临床问题', dataIndex: 'clinicalQuestion', ellipsis: true, render: (q: string | null) => q ?? '—' },
          {
            title: '上传时间',
            dataIndex: 'readyAt',
            width: 140,
            render: (t: string | null) => formatTime(t, 'MM-DD HH:mm'),
          },
          {
            title: '时限',
            key: 'due',
            width: 150,
            render: (_, r) =>
              r.status === 'reported' ? (
                formatTime(r.reportedAt, 'MM-DD HH:mm')
              ) : (
                <Countdown dueAt={r.dueAt} readyAt={r.readyAt} />
              ),
          },
          { title: '状态', dataIndex: 'status', width: 100, render: (s: string) => <StatusTag status={s} /> },
          { title: '操作', key: 'actions', width: 150, render: (_, r) => actions(r) },
        ]}
      />
    </Card>
  );
}
