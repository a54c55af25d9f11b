import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importJWK, JWK, SignJWT } from 'jose';
import request from 'supertest';
import { Principal, Role } from '@countylink/auth';
import { DEMO_SEED_FILE, TestApp, waitFor } from '@countylink/testing';
import { DirectorySeeder } from '../../apps/referral-registry/src/directory/directory.seeder';
import type { DirectorySeed, SeedMember } from '../../apps/referral-registry/src/directory/directory-seed';
import { Clinician, createReferral, directoryReplicated, sql, startRealtimeApp, upReferral } from './realtime-fixtures';

/** Epoch ms of a token's exp. */
const expiryOf = (token: string) =>
  (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { exp: number }).exp * 1000;

/** Resolves with the reason and moment of the socket's next disconnect. */
const nextDisconnect = (c: Clinician) =>
  new Promise<{ reason: string; at: number }>((resolve) => {
    c.socket.once('disconnect', (reason) => resolve({ reason, at: Date.now() }));
  });

/**
 * A socket lives as long as its token: at `exp` the server closes it and nothing reaches it after;
 * a fresh token resumes from the cursor with nothing lost or repeated. A socket's rooms follow the
 * directory: a person moved to another department is closed and comes back into the new rooms.
 */
describe('sockets that end with their token, and follow the directory', () => {
  let t: TestApp;
  const open: Clinician[] = [];
  const connect = async (auth: Record<string, unknown>) => {
    const c = await Clinician.connect(t.url, auth);
    open.push(c);
    return c;
  };

  beforeAll(async () => {
    t = await startRealtimeApp();
    await directoryReplicated(t);
  });
  afterAll(async () => {
    for (const c of open) c.close();
    await t?.close();
  });

  it('closes a 3 s socket at its expiry, sends it nothing after, and resumes exactly there with a fresh token', async () => {
    // A doctor of this suite only: the Kafka cluster is shared with other suites.
    const me: Principal = {
      sub: `dr-${randomUUID().slice(0, 8)}`,
      roles: [Role.TownshipDoctor],
      institutionId: 'township-b',
      departmentId: 'general-practice',
    };
    const room = `user:${me.sub}`;
    const http = `Bearer ${await t.mint(me, 600)}`;
    const refer = async () => {
      const res = await request(t.url)
        .post('/api/referrals')
        .set('Authorization', http)
        .set('Idempotency-Key', randomUUID())
        .send(upReferral());
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    const recorded = (seq: number) =>
      waitFor(
        `${room} at ${seq}`,
        async () => {
          const rows = await sql<{ last_seq: string }>(
            t.config.DATABASE_URL,
            'SELECT last_seq FROM realtime.notification_stream WHERE scope = $1',
            [room],
          );
          return Number(rows[0]?.last_seq ?? 0) >= seq;
        },
        30_000,
      );

    // Warm the path first (HTTP → outbox → Kafka → realtime): the short token's pushes then arrive in
    // time; and a first socket's 'ready' shows the instance takes connections (its pushes arrive).
    await refer();
    await recorded(1);
    (await Clinician.connect(t.url, { token: await t.mint(me, 600) })).close();

    const short = await t.mint(me, 3);
    const expiresAt = expiryOf(short);
    const c = await connect({ token: short });
    const closed = nextDisconnect(c);
    const before = [await refer(), await refer()];
    // Normally both arrive live; on a loaded machine one may come only with the resume — never twice.
    const bothLive = c
      .waitFor('the first two, live', (f) => f.filter((x) => x.scope === room).length === 2)
      .catch(() => undefined);
    await Promise.race([bothLive, closed]);

    const { reason, at } = await closed;
    expect(reason).toBe('io server disconnect');
    expect(at).toBeGreaterThanOrEqual(expiresAt - 50);
    expect(at).toBeLessThan(expiresAt + 1_500);
    const seenAtExpiry = c.frames.length;
    const lastSeen = { ...c.lastSeen };

    const after = [await refer(), await refer(), await refer()];
    const head = 6; // the warm-up and the five
    await recorded(head);
    expect(c.frames.length).toBe(seenAtExpiry);
    // The expired token opens nothing again; a renewed one resumes from the cursor.
    await expect(Clinician.connect(t.url, { token: short, lastSeen })).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      message: 'token has expired',
    });
    const back = await connect({ token: await t.mint(me, 60), lastSeen });
    const missed = head - lastSeen[room];
    expect(back.ready).toMatchObject({ replayed: missed, more: false });
    expect(back.frames.map((f) => [f.scope, f.seq])).toEqual(
      Array.from({ length: missed }, (_, i) => [room, lastSeen[room] + 1 + i]),
    );
    const ids = [...c.frames, ...back.frames].filter((f) => f.scope === room).map((f) => f.subject.id);
    expect(ids).toEqual([...before, ...after]);

    const live = await refer();
    await back.waitFor('live again', (f) => f.some((x) => x.subject.id === live));
    expect(back.frames.filter((f) => f.subject.id === live)).toHaveLength(1);
  }, 120_000);

  it('refuses a token without exp, or living longer than the maximum, over HTTP and at the handshake, saying why', async () => {
    // Signed with the server's own local issuer key: only the claims are wrong.
    const { privateJwk } = JSON.parse(readFileSync(join(t.config.AUTH_LOCAL_KEYS_DIR, 'issuer-key.json'), 'utf8')) as {
      privateJwk: JWK;
    };
    const key = await importJWK(privateJwk, 'ES256');
    const sign = (exp?: number) => {
      const jwt = new SignJWT({ roles: ['county-specialist'], institutionId: 'county-hospital' })
        .setProtectedHeader({ alg: 'ES256', kid: privateJwk.kid, typ: 'at+jwt' })
        .setSubject('county-cardiology')
        .setIssuer(t.config.AUTH_ISSUER)
        .setAudience(t.config.AUTH_AUDIENCE)
        .setIssuedAt();
      return (exp === undefined ? jwt : jwt.setExpirationTime(exp)).sign(key);
    };
    const forever = await sign();
    const http = await request(t.url).get('/api/auth/me').set('Authorization', `Bearer ${forever}`);
    expect([http.status, http.body.error]).toEqual([
      401,
      expect.objectContaining({ code: 'UNAUTHENTICATED', message: 'token has no expiry (exp is required)' }),
    ]);
    await expect(Clinician.connect(t.url, { token: forever })).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      message: 'token has no expiry (exp is required)',
    });
    const long = await sign(Math.floor(Date.now() / 1000) + t.config.AUTH_TOKEN_MAX_LIFETIME_SECONDS + 3600);
    expect((await request(t.url).get('/api/auth/me').set('Authorization', `Bearer ${long}`)).body.error.message).toBe(
      `token lives longer than the ${t.config.AUTH_TOKEN_MAX_LIFETIME_SECONDS} s allowed`,
    );
    await expect(
      t.mint(
        { sub: 'x', roles: [Role.CountySpecialist], institutionId: 'county-hospital' },
        t.config.AUTH_TOKEN_MAX_LIFETIME_SECONDS + 1,
      ),
    ).rejects.toThrow(/may live at most/);
  });

  it('closes the socket of a person the directory moves to another department, who reconnects into the new rooms', async () => {
    const seed = JSON.parse(readFileSync(DEMO_SEED_FILE, 'utf8')) as DirectorySeed;
    const member: SeedMember = {
      id: `mover-${randomUUID().slice(0, 8)}`,
      name: '测试医生',
      institutionId: 'county-hospital',
      departmentId: 'cardiology',
      roles: [Role.CountySpecialist],
    };
    const seeder = t.app.get(DirectorySeeder);
    const replicated = (departmentId: string) =>
      waitFor(
        `${member.id} in ${departmentId}`,
        async () =>
          (
            await sql(
              t.config.DATABASE_URL,
              'SELECT 1 FROM realtime.known_member WHERE id = $1 AND department_id = $2',
              [member.id, departmentId],
            )
          ).length === 1,
        30_000,
      );
    await seeder.load({ ...seed, institutions: [], members: [member] });
    await replicated('cardiology');

    // No department in the token: the directory says where this person works.
    const token = await t.mint(
      { sub: member.id, roles: [Role.CountySpecialist], institutionId: 'county-hospital' },
      600,
    );
    const c = await connect({ token });
    expect(c.ready?.rooms).toEqual([
      `user:${member.id}`,
      'institution:county-hospital',
      'department:county-hospital:cardiology',
    ]);

    const closed = nextDisconnect(c);
    await seeder.load({ ...seed, institutions: [], members: [{ ...member, departmentId: 'neurology' }] });
    expect((await closed).reason).toBe('io server disconnect');
    const back = await connect({ token, lastSeen: c.lastSeen });
    expect(back.ready?.rooms).toEqual([
      `user:${member.id}`,
      'institution:county-hospital',
      'department:county-hospital:neurology',
    ]);
    // The department joined now starts from now: its history is not replayed as "missed".
    expect(back.ready?.replayed).toBe(0);

    // A change that leaves the rooms as they are (another name) keeps the connection.
    await seeder.load({
      ...seed,
      institutions: [],
      members: [{ ...member, name: '测试医生二', departmentId: 'neurology' }],
    });
    await waitFor(
      'the new name replicated',
      async () =>
        (
          await sql(t.config.DATABASE_URL, 'SELECT 1 FROM realtime.known_member WHERE id = $1 AND name = $2', [
            member.id,
            '测试医生二',
          ])
        ).length === 1,
      30_000,
    );
    let dropped = false;
    back.socket.once('disconnect', () => (dropped = true));
    // A referral to the new department arrives there after that change was dealt with, on the same connection.
    const id = (await createReferral(t, 'township-a-doctor', upReferral({ toDepartmentId: 'neurology' }))).body
      .id as string;
    await back.waitFor('a referral to neurology', (f) =>
      f.some((x) => x.subject.id === id && x.scope === 'department:county-hospital:neurology'),
    );
    expect([dropped, back.socket.connected]).toEqual([false, true]);
  });
});
