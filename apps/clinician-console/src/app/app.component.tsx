import { ReactNode, useEffect, useRef } from 'react';
import { QueryClient, QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider, Result } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { BrowserRouter, matchPath, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { ApiError } from '../api/http';
import { LoginPage } from '../auth/login.page';
import { OidcCallbackPage } from '../auth/oidc-callback.page';
import { OidcSessionKeeper } from '../auth/oidc-session-keeper';
import { SessionProvider, useSession } from '../auth/session-context';
import { RealtimeProvider } from '../realtime/realtime-provider';
import { NotFoundResult } from '../common/not-found.result';
import { AppLayout } from './app-layout.component';
import { Screen, screensFor } from './routes';
import './time';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A 404 (not there, or not ours) or a 401 will not change by asking again.
      retry: (count, err) => !(err instanceof ApiError && err.status < 500) && count < 2,
      refetchOnWindowFocus: false,
      staleTime: 10_000,
    },
  },
});

const FONT =
  '-apple-system, BlinkMacSystemFont, "Segoe UI", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Noto Sans SC", sans-serif';

function RequireSession({ children }: { children: ReactNode }) {
  const { session } = useSession();
  const location = useLocation();
  if (!session) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return <RealtimeProvider>{children}</RealtimeProvider>;
}

function Home() {
  const { session } = useSession();
  const first = screensFor(session?.roles ?? [])[0];
  if (first) return <Navigate to={first.path} replace />;
  return (
    <Result status="info" title="欢迎使用县域联" subTitle="您角色的工作页面（转诊中心、医共体管理等）即将上线。" />
  );
}

/** Once a session: the screen being opened (or the home page's first screen) starts its queries. */
function usePrefetchOpenedScreen(screens: Screen[]) {
  const { session } = useSession();
  const location = useLocation();
  const client = useQueryClient();
  const done = useRef<string | null>(null);
  useEffect(() => {
    if (!session || done.current === session.login) return;
    done.current = session.login;
    const path = location.pathname === '/' ? screens[0]?.path : location.pathname;
    screens.find((s) => path && matchPath(s.path, path))?.prefetch?.(client, session);
  }, [session, location.pathname, screens, client]);
}

function ConsoleRoutes() {
  const { session } = useSession();
  const screens = screensFor(session?.roles ?? []);
  usePrefetchOpenedScreen(screens);
  return (
    <Routes>
      <Route path="/login" element={session ? <Navigate to="/" replace /> : <LoginPage />} />
      <Route path="/auth/callback" element={<OidcCallbackPage />} />
      <Route
        element={
          <RequireSession>
            <AppLayout />
          </RequireSession>
        }
      >
        <Route index element={<Home />} />
        {screens.map((s) => (
          <Route key={s.path} path={s.path} element={s.element} />
        ))}
        <Route path="*" element={<NotFoundResult />} />
      </Route>
    </Routes>
  );
}

export function App() {
  return (
    <ConfigProvider locale={zhCN} theme={{ token: { fontFamily: FONT, colorPrimary: '#1668dc' } }}>
      <AntApp>
        <QueryClientProvider client={queryClient}>
          <BrowserRouter>
            <SessionProvider>
              <OidcSessionKeeper />
              <ConsoleRoutes />
            </SessionProvider>
          </BrowserRouter>
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}
