import { HTMLAttributes, useState } from 'react';
import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Table, Tabs } from 'antd';
import { useNavigate } from 'react-router-dom';
import { useDirectory } from '../api/directory.api';
import { errorText } from '../api/error-text';
import { listReferrals, referralKeys, ReferralView } from '../api/referrals.api';
import { useSignedIn } from '../auth/session-context';
import { NewReferralForm } from './new-referral.form';
import { ReferralActions } from './referral-actions.component';
import { referralColumns } from './referral-columns';

/**
 * 我的转诊 of a township or family doctor: what their institution sent up and what the county sent
 * back down, newest first; statuses move as the socket's pushes refetch the list.
 */
export function MyReferralsPage() {
  const session = useSignedIn();
  const navigate = useNavigate();
  const names = useDirectory();
  const [creating, setCreating] = useState(false);
  const [tab, setTab] = useState<'sent' | 'received'>('sent');
  const referrals = useQuery({ queryKey: referralKeys.list({}), queryFn: () => listReferrals({}) });
  const all = referrals.data?.items ?? [];
  const sent = all.filter((r) => r.from.institutionId === session.institutionId);
  const received = all.filter((r) => r.to.institutionId === session.institutionId);
  const waitingDown = received.filter((r) => r.status === 'requested').length;

  const table = (rows: ReferralView[], otherEnd: 'from' | 'to') => (
    <Table<ReferralView>
      rowKey="id"
      size="middle"
      scroll={{ x: 1100 }}
      loading={referrals.isLoading}
      dataSource={rows}
      pagination={{ pageSize: 20, hideOnSinglePage: true }}
      onRow={(r) =>
        ({
          onClick: () => navigate(`/referrals/${r.id}`),
          style: { cursor: 'pointer' },
          'data-referral-id': r.id,
        }) as HTMLAttributes<HTMLElement>
      }
      columns={[
        ...referralColumns(names, otherEnd),
        { title: '操作', key: 'actions', width: 190, render: (_, r) => <ReferralActions referral={r} size="small" /> },
      ]}
    />
  );

  return (
    <Card
      title="我的转诊"
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="new-referral">
          发起转诊
        </Button>
      }
    >
      {referrals.isError && (
        <Alert type="error" showIcon message={errorText(referrals.error)} style={{ marginBottom: 16 }} />
      )}
      <Tabs
        activeKey={tab}
        onChange={(k) => setTab(k as 'sent' | 'received')}
        items={[
          { key: 'sent', label: `上转（我发出的 ${sent.length}）`, children: table(sent, 'to') },
          {
            key: 'received',
            label: (
              <span data-testid="tab-received">
                下转（转回本院 {received.length}
                {waitingDown ? ` · ${waitingDown} 待接收` : ''}）
              </span>
            ),
            children: table(received, 'from'),
          },
        ]}
      />
      <NewReferralForm
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(r) => {
          setCreating(false);
          setTab('sent');
          navigate(`/referrals/${r.id}`);
        }}
      />
    </Card>
  );
}
