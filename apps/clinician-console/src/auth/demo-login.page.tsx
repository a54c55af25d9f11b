import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Space, Table, Tag, Typography } from 'antd';
import { useLocation, useNavigate } from 'react-router-dom';
import { api } from '../api/http';
import { errorText } from '../api/error-text';
import { ROLE_LABELS } from '../app/labels';
import { unlockAudio } from '../realtime/alarm-sound';
import type { Session } from './session';
import { useSession } from './session-context';

/** A demo member as the API lists them: who a session would be, without its token. */
type DemoLogin = Omit<Session, 'token' | 'expiresAt' | 'oidc'>;

interface TokenAnswer {
  token: string;
  expiresIn: number;
  login: DemoLogin;
}

/**
 * The embedded default's sign-in: every demo member of the directory seed, by login name, one click
 * each. The backbone offers these routes only with its local issuer; with an OIDC provider they
 * answer 404 and `/login` shows the provider's button instead (`oidc-login.page.tsx`); should this
 * page be shown anyway (the sign-in mode unknown), it says so.
 */
export function DemoLoginPage() {
  const { signIn, endedBecause } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const { message } = App.useApp();
  const logins = useQuery({
    queryKey: ['demo-logins'],
    queryFn: () => api<{ items: DemoLogin[] }>('/api/auth/demo-logins', { anonymous: true }),
    retry: false,
  });
  const signInAs = useMutation({
    mutationFn: (login: string) =>
      api<TokenAnswer>(`/api/auth/demo-logins/${encodeURIComponent(login)}/token`, { method: 'POST', anonymous: true }),
    onSuccess: ({ token, expiresIn, login }) => {
      const { login: id, name, roles, institutionId, institutionName, departmentId, departmentName } = login;
      signIn({
        token,
        login: id,
        name,
        roles,
        institutionId,
        institutionName,
        departmentId,
        departmentName,
        expiresAt: Date.now() + expiresIn * 1000,
      });
      const from = (location.state as { from?: string } | null)?.from;
      navigate(from && from !== '/login' ? from : '/', { replace: true });
    },
    onError: (err) => void message.error(`登录失败：${errorText(err)}`),
  });

  return (
    <div style={{ minHeight: '100vh', background: '#f0f2f5', padding: '48px 16px' }}>
      <Card style={{ maxWidth: 960, margin: '0 auto' }}>
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
          <Typography.Title level={3} style={{ margin: 0 }}>
            县域联 · 医生工作台
          </Typography.Title>
          <Typography.Text type="secondary">演示环境：选择一个演示账号，单击登录名即可登录。</Typography.Text>
          {endedBecause === 'expired' && <Alert type="warning" showIcon message="登录已失效，请重新登录" />}
          {logins.isError && (
            <Alert
              type="info"
              showIcon
              message="本系统使用机构统一身份认证登录，演示账号不可用。"
              description={errorText(logins.error)}
            />
          )}
          <Table<DemoLogin>
            rowKey="login"
            loading={logins.isLoading}
            dataSource={logins.data?.items ?? []}
            pagination={false}
            size="middle"
            onRow={(row) => ({
              onClick: () => {
                unlockAudio();
                signInAs.mutate(row.login);
              },
              style: { cursor: 'pointer' },
            })}
            columns={[
              {
                title: '登录名',
                dataIndex: 'login',
                render: (login: string) => (
                  <Button
                    type="link"
                    data-login={login}
                    loading={signInAs.isPending && signInAs.variables === login}
                    style={{ padding: 0, fontFamily: 'monospace' }}
                  >
                    {login}
                  </Button>
                ),
              },
              { title: '姓名', dataIndex: 'name' },
              {
                title: '角色',
                dataIndex: 'roles',
                render: (roles: string[]) => roles.map((r) => <Tag key={r}>{ROLE_LABELS[r] ?? r}</Tag>),
              },
              {
                title: '机构',
                key: 'institution',
                render: (_: unknown, row) =>
                  row.departmentName ? `${row.institutionName} · ${row.departmentName}` : row.institutionName,
              },
            ]}
          />
        </Space>
      </Card>
    </div>
  );
}
