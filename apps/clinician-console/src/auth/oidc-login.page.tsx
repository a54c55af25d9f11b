import { useEffect, useRef, useState } from 'react';
import { LoginOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Space, Typography } from 'antd';
import { useLocation, useNavigate } from 'react-router-dom';
import type { AuthConfig, OidcConfig } from './auth-config';
import { oidcClient } from './oidc-client';
import { sessionFromUser } from './oidc-session';
import { useSession } from './session-context';

/** Where to go after sign-in: a screen of the console, never back to sign-in or its callback. */
export function returnPath(from: unknown): string {
  return typeof from === 'string' &&
    from.startsWith('/') &&
    !from.startsWith('//') &&
    !from.startsWith('/login') &&
    !from.startsWith('/auth/')
    ? from
    : '/';
}

/**
 * Sign-in at the group's OIDC provider: one button, the provider's page, and back to
 * `/auth/callback`. Opened afresh (a reload, a new tab) it first asks the provider without showing
 * anything (prompt=none), so a doctor still signed in there comes straight back to their screen.
 */
export function OidcLoginPage({ config }: { config: Exclude<AuthConfig, { mode: 'local' }> }) {
  const { signIn, endedBecause } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const from = returnPath((location.state as { from?: string } | null)?.from);
  const [redirecting, setRedirecting] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const triedSilently = useRef(false);
  const oidc: OidcConfig | null = config.mode === 'oidc' ? config : null;

  useEffect(() => {
    // Not after a 401 or 退出: that session ended on purpose, and signing straight back in would undo it.
    if (!oidc || endedBecause !== null || triedSilently.current) return;
    triedSilently.current = true;
    void oidcClient(oidc)
      .then((client) => client.signinSilent())
      .then(async (user) => {
        if (!user) return;
        signIn(await sessionFromUser(user));
        navigate(from, { replace: true });
      })
      .catch(() => undefined); // not signed in at the provider: the button it is
  }, [oidc, endedBecause, signIn, navigate, from]);

  const start = () => {
    if (!oidc) return;
    setRedirecting(true);
    setFailure(null);
    oidcClient(oidc)
      .then((client) => client.signinRedirect({ state: { from } }))
      .catch((err: unknown) => {
        setRedirecting(false);
        setFailure(`无法连接统一身份认证服务：${err instanceof Error ? err.message : String(err)}`);
      });
  };

  return (
    <div style={{ minHeight: '100vh', background: '#f0f2f5', padding: '96px 16px' }}>
      <Card style={{ maxWidth: 480, margin: '0 auto' }}>
        <Space direction="vertical" size="large" style={{ width: '100%' }}>
          <Typography.Title level={3} style={{ margin: 0 }}>
            县域联 · 医生工作台
          </Typography.Title>
          <Typography.Text type="secondary">请使用医共体统一身份认证账号登录。</Typography.Text>
          {endedBecause === 'expired' && <Alert type="warning" showIcon message="登录已失效，请重新登录" />}
          {config.mode === 'unconfigured' && (
            <Alert
              type="error"
              showIcon
              message="统一身份认证登录尚未配置，请联系系统管理员。"
              description={config.message}
            />
          )}
          {failure && <Alert type="error" showIcon message={failure} />}
          <Button
            type="primary"
            size="large"
            block
            icon={<LoginOutlined />}
            disabled={!oidc}
            loading={redirecting}
            onClick={start}
            data-testid="oidc-sign-in"
          >
            用医共体账号登录
          </Button>
        </Space>
      </Card>
    </div>
  );
}
