import { createContext, ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { configureHttp } from '../api/http';
import { loadSession, saveSession, Session } from './session';

interface SessionState {
  session: Session | null;
  /** Why the last session ended ('expired' after a 401), for the sign-in page to say. */
  endedBecause: 'expired' | 'signed-out' | null;
  signIn(session: Session): void;
  signOut(reason?: 'expired' | 'signed-out'): void;
}

const SessionContext = createContext<SessionState | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(loadSession);
  const [endedBecause, setEndedBecause] = useState<SessionState['endedBecause']>(null);
  const queryClient = useQueryClient();
  const current = useRef(session);
  current.current = session;

  const signOut = useCallback(
    (reason: 'expired' | 'signed-out' = 'signed-out') => {
      if (!current.current) return;
      saveSession(null);
      current.current = null;
      setSession(null);
      setEndedBecause(reason);
      // Nothing of one user's data may show for the next one.
      queryClient.clear();
    },
    [queryClient],
  );

  const signIn = useCallback((next: Session) => {
    saveSession(next);
    current.current = next;
    setEndedBecause(null);
    setSession(next);
  }, []);

  // Set during the first render, not in an effect: children's queries start before a parent's effects run.
  const signOutRef = useRef(signOut);
  signOutRef.current = signOut;
  const configured = useRef(false);
  if (!configured.current) {
    configureHttp({ token: () => current.current?.token ?? null, onUnauthorized: () => signOutRef.current('expired') });
    configured.current = true;
  }

  // The token's own expiry ends the session even with no request to notice it.
  useEffect(() => {
    if (!session) return;
    const timer = setTimeout(() => signOut('expired'), Math.max(0, session.expiresAt - Date.now()));
    return () => clearTimeout(timer);
  }, [session, signOut]);

  const value = useMemo(() => ({ session, endedBecause, signIn, signOut }), [session, endedBecause, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession outside SessionProvider');
  return state;
}

/** For screens behind sign-in: the session is there. */
export function useSignedIn(): Session {
  const { session } = useSession();
  if (!session) throw new Error('useSignedIn without a session');
  return session;
}
