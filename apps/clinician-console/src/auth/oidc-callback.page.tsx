import { useEffect, useState } from 'react';
import { Button, Result, Spin } from 'antd';
import type { User } from 'oidc-client-ts';
import { useNavigate } from 'react-router-dom';
import { ApiError } from '../api/http';
import { errorText } from '../api/error-text';
import { unlockAudio } from '../realtime/alarm-sound';
import { useAuthConfig } from './auth-config';
import { oidcClient, providerError } from './oidc-client';
import { returnPath } from './oidc-login.page';
import { sessionFromUser } from './oidc-session';
import type { Session } from './session';
import { useSession } from './session-context';

/** The code is exchanged once per page load (React's strict mode runs effects twice). */
let completing: Promise<{ user: User; session: Session }> | null = null;

function failureText(err: unknown): string {
  if (providerError(err)) return `统一身份认证未完成登录：${err.error_description ?? err.error ?? err.message}`;
  if (err instanceof ApiError && err.status === 401)
    return `县域联未接受该账号的令牌（${err.message}）：账号须带有县域联的角色与机构声明，请联系系统管理员。`;
  if (err instanceof ApiError) return `登录失败：${errorText(err)}`;
  return `登录失败：${err instanceof Error ? err.message : String(err)}`;
}

/** `/auth/callback`: where the provider sends the doctor back with a code, exchanged (with the PKCE verifier) for tokens. */
export function OidcCallbackPage() {
  const config = useAuthConfig();
  const { signIn } = useSession();
  const navigate = useNavigate();
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    if (!config.data && !config.isError) return;
    if (config.data?.mode !== 'oidc') return setFailure('本系统未启用统一身份认证登录。');
    const settings = config.data;
    completing ??= oidcClient(settings)
      .then((client) => client.signinRedirectCallback())
      .then(async (user) => ({ user, session: await sessionFromUser(user) }));
    let live = true;
    completing.then(
      ({ user, session }) => {
        if (!live) return;
        signIn(session);
        // The page came from a redirect, not a click: the alarm's sound is allowed from the doctor's first gesture here.
        for (const gesture of ['pointerdown', 'keydown'] as const)
          window.addEventListener(gesture, unlockAudio, { once: true });
        navigate(returnPath((user.state as { from?: unknown } | undefined)?.from), { replace: true });
      },
      (err: unknown) => {
        if (!live) return;
        completing = null;
        void oidcClient(settings).then((client) => client.removeUser());
        setFailure(failureText(err));
      },
    );
    return () => {
      live = false;
    };
  }, [config.data, config.isError, signIn, navigate]);

  if (!failure) return <Spin size="large" tip="正在登录…" fullscreen />;
  return (
    <Result
      status="error"
      title="登录未完成"
      subTitle={failure}
      data-testid="sign-in-failed"
      extra={
        <Button type="primary" onClick={() => navigate('/login', { replace: true })}>
          返回登录
        </Button>
      }
    />
  );
}
