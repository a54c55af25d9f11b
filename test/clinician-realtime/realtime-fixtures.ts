import { io, Socket } from 'socket.io-client';
import { sql, startTestApp, TestApp, TestAppOptions, waitFor } from '@countylink/testing';
import { REALTIME_DATA_SOURCE } from '../../apps/clinician-realtime/src/clinician-realtime.constants';
import { ClinicianRealtimeModule } from '../../apps/clinician-realtime/src/clinician-realtime.module';
import type { NotificationFrame, ReadyFrame } from '../../apps/clinician-realtime/src/notifications/notification-types';
import { REFERRAL_DATA_SOURCE } from '../../apps/referral-registry/src/referral-registry.constants';
import { ReferralRegistryModule } from '../../apps/referral-registry/src/referral-registry.module';

export { act, createReferral, upReferral } from '../referral-registry/referral-fixtures';

/** The referral registry (whose HTTP API makes the events) and the realtime app, in one test app. */
export function startRealtimeApp(options: Partial<TestAppOptions> = {}): Promise<TestApp> {
  return startTestApp({
    features: [ReferralRegistryModule, ClinicianRealtimeModule],
    dataSources: [REFERRAL_DATA_SOURCE, REALTIME_DATA_SOURCE],
    kafka: true,
    ...options,
  });
}

export { sql };

/** The realtime app has consumed the demo directory (14 members in the seed). */
export function directoryReplicated(t: TestApp): Promise<unknown> {
  return waitFor(
    'directory replica',
    async () => {
      const [{ n }] = await sql<{ n: string }>(
        t.config.DATABASE_URL,
        'SELECT count(*) AS n FROM realtime.known_member',
      );
      return Number(n) >= 14;
    },
    30_000,
  );
}

/** A connected clinician: every frame it received, in order, and its last position per room. */
export class Clinician {
  readonly frames: NotificationFrame[] = [];
  readonly lastSeen: Record<string, number> = {};
  ready?: ReadyFrame;

  private constructor(readonly socket: Socket) {
    socket.onAny((event: string, frame: NotificationFrame) => {
      if (event === 'ready') return;
      this.frames.push(frame);
      this.lastSeen[frame.scope] = Math.max(this.lastSeen[frame.scope] ?? 0, frame.seq);
    });
  }

  /** Connects and waits for `ready` (after any replay); rejects with the server's refusal. */
  static connect(url: string, auth: Record<string, unknown>): Promise<Clinician> {
    const socket = io(`${url}/clinician`, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
    const clinician = new Clinician(socket);
    return new Promise((resolve, reject) => {
      socket.once('ready', (ready: ReadyFrame) => {
        clinician.ready = ready;
        for (const [room, seq] of Object.entries(ready.cursor))
          clinician.lastSeen[room] = Math.max(clinician.lastSeen[room] ?? 0, seq);
        resolve(clinician);
      });
      // Closed by the server before its 'ready' (e.g. the token ran out while connecting).
      socket.once('disconnect', (reason) => {
        if (!clinician.ready) reject(new Error(`disconnected before ready (${reason})`));
      });
      socket.once('connect_error', (err: Error & { data?: { code?: string } }) => {
        socket.close();
        reject(Object.assign(new Error(err.message), { code: err.data?.code }));
      });
    });
  }

  of(type: string, subjectId?: string): NotificationFrame[] {
    return this.frames.filter(
      (f) =>
        f.type === type &&
        (!subjectId ||
          f.subject.id === subjectId ||
          (f.data as { referralId?: string } | null)?.referralId === subjectId),
    );
  }

  waitFor(
    what: string,
    check: (frames: NotificationFrame[]) => boolean,
    timeoutMs = 15_000,
  ): Promise<NotificationFrame[]> {
    return waitFor(what, () => (check(this.frames) ? this.frames : undefined), timeoutMs);
  }

  close(): void {
    this.socket.close();
  }
}

/** The demo clinicians a suite connects, closed together when it ends. */
export class ClinicianSockets {
  private readonly open: Clinician[] = [];

  constructor(private readonly app: () => TestApp) {}

  async connect(login: string): Promise<Clinician> {
    const t = this.app();
    const c = await Clinician.connect(t.url, { token: await t.token(login) });
    this.open.push(c);
    return c;
  }

  closeAll(): void {
    for (const c of this.open.splice(0)) c.close();
  }
}
