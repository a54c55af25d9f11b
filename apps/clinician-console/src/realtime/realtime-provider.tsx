import { createContext, ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { QueryClient, useQueryClient } from '@tanstack/react-query';
import { io, Socket } from 'socket.io-client';
import { api, currentToken } from '../api/http';
import { readKeys } from '../api/reads.api';
import { referralKeys } from '../api/referrals.api';
import { schedulingKeys } from '../api/scheduling.api';
import { useSession, useSignedIn } from '../auth/session-context';
import { AckResult, AlertNotice, ConnectionState, NotificationFrame, ReadyFrame } from './realtime-types';

type Cursor = Record<string, number>;

interface Realtime {
  connection: ConnectionState;
  /** Newest first; each notification once, however it arrived (live, replayed, or over HTTP). */
  notifications: NotificationFrame[];
  unread: number;
  markAllRead(): void;
  /** Alerts that reached this user and nobody has acknowledged yet, oldest first. */
  openAlerts: AlertNotice[];
  /** `readBack`: what the doctor typed back of a critical value, recorded with the acknowledgement. */
  ack(alertId: string, readBack?: string): Promise<AckResult>;
}

const RealtimeContext = createContext<Realtime | null>(null);
const KEEP = 200;

/** What a push changes on screen: the queries to refetch (lists update with no reload). */
function invalidateFor(frame: NotificationFrame, queryClient: QueryClient): void {
  if (frame.type.startsWith('read.')) void queryClient.invalidateQueries({ queryKey: readKeys.all });
  if (frame.type.startsWith('referral.')) void queryClient.invalidateQueries({ queryKey: referralKeys.all });
  // A place taken or given back changes a schedule's counts and the booking lists.
  if (frame.type.startsWith('appointment.')) void queryClient.invalidateQueries({ queryKey: schedulingKeys.all });
}

function storedCursor(key: string): Cursor | undefined {
  try {
    return (JSON.parse(sessionStorage.getItem(key) ?? 'null') as Cursor | null) ?? undefined;
  } catch {
    return undefined;
  }
}

/**
 * One Socket.IO connection to `/clinician` per signed-in tab. The position in each room is kept in
 * sessionStorage and sent back as `lastSeen` on every reconnect (and after a reload), so what was
 * missed arrives once and in order; beyond the server's replay limit it is fetched over HTTP.
 */
export function RealtimeProvider({ children }: { children: ReactNode }) {
  const session = useSignedIn();
  const { signOut } = useSession();
  const queryClient = useQueryClient();
  const [connection, setConnection] = useState<ConnectionState>('connecting');
  const [notifications, setNotifications] = useState<NotificationFrame[]>([]);
  const [unread, setUnread] = useState(0);
  const [alerts, setAlerts] = useState<Map<string, AlertNotice>>(new Map());
  const socketRef = useRef<Socket | null>(null);

  useEffect(() => {
    const cursorKey = `countylink.cursor.${session.login}`;
    let cursor = storedCursor(cursorKey);
    let wasConnected = false;
    let sentToken: string | undefined;
    const seen = new Set<string>();
    const socket = io('/clinician', {
      // A function, so every reconnect sends the position reached by then, and the token as last renewed.
      auth: (cb) => {
        const token = currentToken() ?? session.token;
        sentToken = token;
        cb(cursor ? { token, lastSeen: cursor } : { token });
      },
      transports: ['websocket'],
    });
    socketRef.current = socket;

    const advance = (scope: string, seq: number) => {
      cursor = { ...cursor, [scope]: Math.max(cursor?.[scope] ?? 0, seq) };
      sessionStorage.setItem(cursorKey, JSON.stringify(cursor));
    };
    const take = (frame: NotificationFrame) => {
      advance(frame.scope, frame.seq);
      if (seen.has(frame.id)) return;
      seen.add(frame.id);
      setNotifications((list) => [frame, ...list].slice(0, KEEP));
      setUnread((n) => n + 1);
      if (frame.type.startsWith('alert.') && frame.data) {
        const notice = frame.data as unknown as AlertNotice;
        setAlerts((map) => new Map(map).set(notice.alertId, notice));
      }
      invalidateFor(frame, queryClient);
    };
    const fetchRest = async (after: string, until: string) => {
      for (let page = after; ;) {
        const res = await api<{ items: NotificationFrame[]; more: boolean; next: string }>(
          `/api/notifications?after=${encodeURIComponent(page)}&until=${encodeURIComponent(until)}&limit=500`,
        );
        res.items.forEach(take);
        if (!res.more) return;
        page = res.next;
      }
    };

    socket.on('connect', () => {
      setConnection(wasConnected ? 'restored' : 'connected');
      wasConnected = true;
    });
    socket.on('disconnect', (reason) => {
      setConnection('disconnected');
      // The server closed it — at the token's expiry, after a failed replay or a move in the
      // directory — and Socket.IO does not retry that on its own. Back at once with a token renewed
      // since (resuming from the cursor), else after a second; with no session left, to sign-in.
      if (reason !== 'io server disconnect') return;
      const token = currentToken();
      if (!token) return signOut('expired');
      setTimeout(() => socket.connect(), token !== sentToken ? 0 : 1000);
    });
    socket.on('connect_error', (err: Error & { data?: { code?: string } }) => {
      const code = err.data?.code;
      if (code === 'UNAUTHENTICATED') return signOut('expired');
      if (code === 'NOTIFICATION_INVALID_CURSOR') {
        cursor = undefined;
        sessionStorage.removeItem(cursorKey);
      }
      setConnection(wasConnected ? 'disconnected' : 'connecting');
      // A refusal by the server's middleware is not retried by Socket.IO; a lost network is.
      if (!socket.active) setTimeout(() => socket.connect(), 2000);
    });
    // Alerts raised before this connection (none of them replayed on a first one) still ring. Only
    // added, never removed from here: an ack arrives as a push, and a snapshot may predate it.
    const loadOpenAlerts = () =>
      api<{ items: AlertNotice[] }>('/api/alerts').then(
        ({ items }) => {
          if (items.length > 0)
            setAlerts(
              (map) =>
                new Map([...map, ...items.filter((a) => !map.has(a.alertId)).map((a) => [a.alertId, a] as const)]),
            );
        },
        () => undefined,
      );
    socket.on('ready', (ready: ReadyFrame) => {
      void loadOpenAlerts();
      for (const [scope, seq] of Object.entries(ready.cursor)) advance(scope, seq);
      if (ready.more && ready.after && ready.until) void fetchRest(ready.after, ready.until).catch(() => undefined);
    });
    socket.onAny((event: string, frame: NotificationFrame) => {
      if (event !== 'ready' && frame && typeof frame === 'object' && 'seq' in frame) take(frame);
    });
    return () => {
      socketRef.current = null;
      socket.close();
    };
    // Not on the token: a renewed one (OIDC) keeps this connection, and the next reconnect sends it.
  }, [session.login, queryClient, signOut]);

  const ack = useCallback(async (alertId: string, readBack?: string): Promise<AckResult> => {
    const socket = socketRef.current;
    const result: AckResult = socket?.connected
      ? await socket.timeout(8000).emitWithAck('ack', { alertId, readBack })
      : {
          ok: true,
          ...(await api<{ alert: AlertNotice; alreadyAcknowledged: boolean }>(`/api/alerts/${alertId}/ack`, {
            method: 'POST',
            body: readBack ? { readBack } : {},
          })),
        };
    if (result.ok) setAlerts((map) => new Map(map).set(alertId, result.alert));
    return result;
  }, []);

  const value = useMemo<Realtime>(
    () => ({
      connection,
      notifications,
      unread,
      markAllRead: () => setUnread(0),
      openAlerts: [...alerts.values()]
        .filter((a) => !a.acknowledgedBy)
        .sort((a, b) => a.raisedAt.localeCompare(b.raisedAt)),
      ack,
    }),
    [connection, notifications, unread, alerts, ack],
  );
  return <RealtimeContext.Provider value={value}>{children}</RealtimeContext.Provider>;
}

export function useRealtime(): Realtime {
  const value = useContext(RealtimeContext);
  if (!value) throw new Error('useRealtime outside RealtimeProvider');
  return value;
}
