import { HTMLAttributes, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Segmented, Space, Switch, Table, Typography } from 'antd';
import { useNavigate } from 'react-router-dom';
import { useDirectory } from '../api/directory.api';
import { errorText } from '../api/error-text';
import { listReferrals, referralKeys, ReferralView } from '../api/referrals.api';
import { hasRole } from '../auth/session';
import { useSignedIn } from '../auth/session-context';
import { useNow } from '../common/use-now';
import { ReferralActions } from './referral-actions.component';
import { awaitingAnswer, referralColumns } from './referral-columns';

type View = 'waiting' | 'in-care' | 'closed' | 'down';
const VIEWS: Record<View, (r: ReferralView) => boolean> = {
  waiting: (r) => r.direction === 'up' && awaitingAnswer(r),
  'in-care': (r) => r.direction === 'up' && (r.status === 'accepted' || r.status === 'arrived'),
  closed: (r) => r.direction === 'up' && ['completed', 'rejected', 'cancelled'].includes(r.status),
  down: (r) => r.direction === 'down',
};
const URGENCY_RANK = { emergency: 0, urgent: 1, routine: 2 } as const;

/** Green channel first, then urgency, then the answer due soonest: the order a desk works in. */
export function deskOrder(a: ReferralView, b: ReferralView): number {
  return (
    Number(!a.greenChannel) - Number(!b.greenChannel) ||
    URGENCY_RANK[a.urgency] - URGENCY_RANK[b.urgency] ||
    a.responseDueAt.localeCompare(b.responseDueAt)
  );
}

/**
 * 转诊中心 (the referral office) and the county departments: incoming referrals to answer, live.
 * A specialist sees their department's (and those naming none) unless they ask for all.
 */
export function ReferralDeskPage() {
  const session = useSignedIn();
  const navigate = useNavigate();
  const names = useDirectory();
  const now = useNow();
  const isOffice = hasRole(session, ['referral-coordinator']);
  const [view, setView] = useState<View>('waiting');
  const [mineOnly, setMineOnly] = useState(!isOffice && !!session.departmentId);
  const referrals = useQuery({ queryKey: referralKeys.list({}), queryFn: () => listReferrals({}) });
  const ours = (referrals.data?.items ?? []).filter(
    (r) => (r.direction === 'up' ? r.to.institutionId : r.from.institutionId) === session.institutionId,
  );
  const scoped = ours.filter(
    (r) => !mineOnly || r.direction === 'down' || !r.to.departmentId || r.to.departmentId === session.departmentId,
  );
  const count = (v: View) => scoped.filter(VIEWS[v]).length;
  const rows = scoped.filter(VIEWS[view]).sort(deskOrder);
  const overdue = (r: ReferralView) => awaitingAnswer(r) && Date.parse(r.responseDueAt) <= now;

  return (
    <Card
      title={isOffice ? '转诊中心 · 转诊工作台' : `转诊接诊 · ${session.departmentName ?? session.institutionName}`}
      extra={
        !isOffice &&
        session.departmentId && (
          <Space>
            <Typography.Text type="secondary">只看本科室</Typography.Text>
            <Switch checked={mineOnly} onChange={setMineOnly} />
          </Space>
        )
      }
    >
      {referrals.isError && (
        <Alert type="error" showIcon message={errorText(referrals.error)} style={{ marginBottom: 16 }} />
      )}
      <Segmented<View>
        value={view}
        onChange={setView}
        style={{ marginBottom: 16 }}
        data-testid="desk-view"
        options={[
          { value: 'waiting', label: `待处理 ${count('waiting')}` },
          { value: 'in-care', label: `接诊中 ${count('in-care')}` },
          { value: 'closed', label: `已结束 ${count('closed')}` },
          { value: 'down', label: `已下转 ${count('down')}` },
        ]}
      />
      <Table<ReferralView>
        rowKey="id"
        size="middle"
        scroll={{ x: 1100 }}
        loading={referrals.isLoading}
        dataSource={rows}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        onRow={(r) =>
          ({
            onClick: () => navigate(`/referrals/${r.id}`),
            'data-referral-id': r.id,
            'data-overdue': overdue(r) ? 'true' : 'false',
            style: {
              cursor: 'pointer',
              background: overdue(r) ? '#fff1f0' : r.greenChannel && awaitingAnswer(r) ? '#fff7e6' : undefined,
            },
          }) as HTMLAttributes<HTMLElement>
        }
        columns={[
          ...referralColumns(names, view === 'down' ? 'to' : 'from'),
          {
            title: '操作',
            key: 'actions',
            width: 190,
            render: (_, r) => <ReferralActions referral={r} size="small" />,
          },
        ]}
      />
    </Card>
  );
}
