import { Spin } from 'antd';
import { useAuthConfig } from './auth-config';
import { DemoLoginPage } from './demo-login.page';
import { OidcLoginPage } from './oidc-login.page';

/** `/login`: the demo logins with the local issuer, the provider's button with an OIDC provider. */
export function LoginPage() {
  const config = useAuthConfig();
  if (config.isPending) return <Spin size="large" fullscreen />;
  // An unreachable config is the demo page's to explain (it asks for its own list).
  if (!config.data || config.data.mode === 'local') return <DemoLoginPage />;
  return <OidcLoginPage config={config.data} />;
}
