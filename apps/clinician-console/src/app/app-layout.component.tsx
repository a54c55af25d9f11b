import { Suspense } from 'react';
import { LogoutOutlined } from '@ant-design/icons';
import { Button, Layout, Menu, Space, Spin, Typography } from 'antd';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useSession, useSignedIn } from '../auth/session-context';
import { ConnectionIndicator } from '../realtime/connection-indicator.component';
import { CriticalAlertModal } from '../realtime/critical-alert.modal';
import { GreenChannelAlarmModal } from '../realtime/green-channel-alarm.modal';
import { NotificationCenter } from '../realtime/notification-center.component';
import { ROLE_LABELS } from './labels';
import { screensFor } from './routes';

/** The frame of every signed-in screen: the menu of the user's roles, who they are, the socket's state, the bell. */
export function AppLayout() {
  const session = useSignedIn();
  const { signOut } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const menu = screensFor(session.roles).filter((s) => s.icon);
  const selected = menu
    .filter((s) => location.pathname === s.path || location.pathname.startsWith(`${s.path}/`))
    .map((s) => s.path);

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider width={200} theme="dark" breakpoint="lg" collapsedWidth={64}>
        <div style={{ color: '#fff', fontSize: 18, fontWeight: 600, padding: '18px 20px', whiteSpace: 'nowrap' }}>
          县域联
        </div>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={selected}
          onClick={({ key }) => navigate(key)}
          items={menu.map((s) => ({ key: s.path, icon: s.icon, label: s.label }))}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: '#fff',
            padding: '0 24px',
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'space-between',
            borderBottom: '1px solid #f0f0f0',
          }}
        >
          <Space size="middle">
            <Typography.Text strong data-testid="user-name">
              {session.name}
            </Typography.Text>
            <Typography.Text type="secondary">
              {session.departmentName
                ? `${session.institutionName} · ${session.departmentName}`
                : session.institutionName}
              {' · '}
              {session.roles.map((r) => ROLE_LABELS[r] ?? r).join('、')}
            </Typography.Text>
          </Space>
          <Space size="middle">
            <ConnectionIndicator />
            <NotificationCenter />
            <Button type="text" icon={<LogoutOutlined />} onClick={() => signOut()}>
              退出
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ margin: 24 }}>
          <Suspense fallback={<Spin style={{ display: 'block', marginTop: 80 }} />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
      <CriticalAlertModal />
      <GreenChannelAlarmModal />
    </Layout>
  );
}
