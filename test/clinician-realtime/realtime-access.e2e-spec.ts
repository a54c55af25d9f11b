import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { getDataSourceToken } from '@nestjs/typeorm';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Role } from '@countylink/auth';
import { TestApp, waitFor } from '@countylink/testing';
import { REALTIME_DATA_SOURCE } from '../../apps/clinician-realtime/src/clinician-realtime.constants';
import type { AckResult } from '../../apps/clinician-realtime/src/notifications/notification-types';
import { Clinician, createReferral, directoryReplicated, startRealtimeApp, upReferral } from './realtime-fixtures';

describe('who may connect, and what a connection can reach', () => {
  let t: TestApp;
  const open: Clinician[] = [];
  const connect = async (auth: Record<string, unknown>) => {
    const c = await Clinician.connect(t.url, auth);
    open.push(c);
    return c;
  };
  const refusal = (auth: Record<string, unknown>) =>
    Clinician.connect(t.url, auth).then(
      () => 'connected',
      (err: { code?: string; message: string }) => err,
    );
  const ack = (c: Clinician, request: unknown) =>
    c.socket.timeout(5_000).emitWithAck('ack', request) as Promise<AckResult>;

  beforeAll(async () => {
    t = await startRealtimeApp();
    await directoryReplicated(t);
  });
  afterAll(async () => {
    for (const c of open) c.close();
    await t?.close();
  });

  it('refuses a handshake without a token, with an expired one, a forged one or a bad lastSeen', async () => {
    expect(await refusal({})).toMatchObject({
      code: 'UNAUTHENTICATED',
      message: expect.stringContaining('token is required'),
    });
    expect(await refusal({ token: 'not-a-jwt' })).toMatchObject({ code: 'UNAUTHENTICATED' });
    const expired = await t.mint(
      { sub: 'county-cardiology', roles: [Role.CountySpecialist], institutionId: 'county-hospital' },
      -120,
    );
    expect(await refusal({ token: expired })).toMatchObject({ code: 'UNAUTHENTICATED', message: 'token has expired' });

    // Same claims, issuer, audience and key id, signed with a key the server does not trust.
    const { kid } = (await request(t.url).get('/.well-known/jwks.json')).body.keys[0];
    const forgerKey = await generateKeyPair('ES256', { extractable: true });
    expect((await exportJWK(forgerKey.publicKey)).kty).toBe('EC');
    const forged = await new SignJWT({
      roles: ['county-specialist'],
      institutionId: 'county-hospital',
      departmentId: 'cardiology',
    })
      .setProtectedHeader({ alg: 'ES256', kid })
      .setSubject('county-cardiology')
      .setIssuer(t.config.AUTH_ISSUER)
      .setAudience(t.config.AUTH_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(forgerKey.privateKey);
    expect(await refusal({ token: forged })).toMatchObject({ code: 'UNAUTHENTICATED' });

    const token = await t.token('county-cardiology');
    expect(await refusal({ token, lastSeen: { 'user:county-cardiology': -1 } })).toMatchObject({
      code: 'NOTIFICATION_INVALID_CURSOR',
    });
    expect(await refusal({ token, lastSeen: 'everything' })).toMatchObject({ code: 'NOTIFICATION_INVALID_CURSOR' });
  });

  it('gives another institution nothing, whatever its client sends', async () => {
    const cardiology = await connect({ token: await t.token('county-cardiology') });
    const townshipA = await connect({ token: await t.token('township-a-doctor') });
    const townshipB = await connect({ token: await t.token('township-b-doctor') });
    expect(townshipB.ready?.rooms).toEqual([
      'user:township-b-doctor',
      'institution:township-b',
      'department:township-b:general-practice',
    ]);

    // Asking to join rooms, subscribe or resume others' rooms changes nothing: there is no such event.
    for (const event of ['join', 'subscribe', 'joinRoom', 'resume']) {
      townshipB.socket.emit(event, {
        room: 'department:county-hospital:cardiology',
        rooms: ['institution:township-a', 'user:township-a-doctor'],
      });
    }
    // A lastSeen naming others' rooms is ignored, not read.
    const prying = await connect({
      token: await t.token('township-b-doctor'),
      lastSeen: {
        'user:township-a-doctor': 0,
        'department:county-hospital:cardiology': 0,
        'institution:township-a': 0,
      },
    });
    expect(Object.keys(prying.ready!.cursor)).toEqual(prying.ready!.rooms);
    // (Other suites' township-B referrals share the Kafka cluster, so its own rooms may have history.)
    const ownRooms = (c: Clinician) => c.frames.every((f) => c.ready!.rooms.includes(f.scope));
    expect(ownRooms(prying)).toBe(true);

    const id = (
      await createReferral(
        t,
        'township-a-doctor',
        upReferral({ urgency: 'emergency', greenChannelCentre: 'stroke', toDepartmentId: 'cardiology' }),
      )
    ).body.id;
    // The Kafka cluster is shared with other suites, whose alerts reach cardiology too: this referral's only.
    const raised = () =>
      cardiology.of('alert.raised').filter((x) => (x.data as { subjectId: string }).subjectId === id);
    await cardiology.waitFor('alert', () => raised().length === 1);
    await townshipA.waitFor('own referral', () => townshipA.of('referral.requested', id).length === 1);
    const alertId = raised()[0].subject.id;

    // Another institution cannot take (or even find) the alert; a bad request is refused.
    expect(await ack(townshipB, { alertId })).toMatchObject({ ok: false, error: { code: 'ALERT_NOT_FOUND' } });
    expect(await ack(townshipB, { alertId: { $ne: null } })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
    expect(await ack(townshipB, 'x'.repeat(10_000))).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    // Neither can the referring township (the alert is for the receiving team), nor the county's HIS.
    expect(await ack(townshipA, { alertId })).toMatchObject({ ok: false, error: { code: 'ALERT_NOT_FOUND' } });
    const neurology = await connect({ token: await t.token('county-neurology') });
    expect(await ack(neurology, { alertId })).toMatchObject({ ok: false, error: { code: 'ALERT_NOT_ALLOWED' } });
    const his = await request(t.url)
      .post(`/api/alerts/${alertId}/ack`)
      .set('Authorization', `Bearer ${await t.token('his-county')}`);
    expect(his.status).toBe(403);

    const inbox = await request(t.url)
      .get('/api/notifications')
      .set('Authorization', `Bearer ${await t.token('township-b-doctor')}`);
    expect(inbox.status).toBe(200);
    expect(
      inbox.body.items.filter((f: { subject: { id: string } }) => f.subject.id === id || f.subject.id === alertId),
    ).toEqual([]);

    // The acknowledgement reaches the team; township B heard nothing of any of it.
    expect(await ack(cardiology, { alertId, readBack: 42 })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
    expect(await ack(cardiology, { alertId, readBack: '  脑卒中，绿色通道  ' })).toMatchObject({
      ok: true,
      alreadyAcknowledged: false,
      alert: { acknowledgedBy: 'county-cardiology' },
    });
    expect(await ack(cardiology, { alertId, readBack: 'something else' })).toMatchObject({
      ok: true,
      alreadyAcknowledged: true,
    });
    // What was typed back is kept with the acknowledgement (a second ack changes nothing).
    const [row] = await t.app
      .get<DataSource>(getDataSourceToken(REALTIME_DATA_SOURCE))
      .query('SELECT read_back FROM realtime.alert WHERE id = $1', [alertId]);
    expect(row.read_back).toBe('脑卒中，绿色通道');
    await cardiology.waitFor('ack notice', (f) =>
      f.some((x) => x.type === 'alert.acknowledged' && x.subject.id === alertId),
    );
    await waitFor('all of it delivered to township A', () => townshipA.of('referral.requested', id).length === 1);
    for (const c of [townshipB, prying]) {
      expect(ownRooms(c)).toBe(true);
      expect(c.frames.filter((f) => f.subject.id === id || f.subject.id === alertId)).toEqual([]);
    }
  });
  it('gives a green channel with no department named to the referral office, not to any clinician of the hospital', async () => {
    const coordinator = await connect({ token: await t.token('county-coordinator') });
    const radiology = await connect({ token: await t.token('county-radiology') });
    const id = (
      await createReferral(
        t,
        'township-a-doctor',
        upReferral({ urgency: 'emergency', greenChannelCentre: 'chest-pain', toDepartmentId: undefined }),
      )
    ).body.id;
    const raised = () =>
      coordinator.of('alert.raised').filter((x) => (x.data as { subjectId: string }).subjectId === id);
    await coordinator.waitFor('alert at the referral office', () => raised().length === 1);
    const alertId = raised()[0].subject.id;
    // Radiology is of the same hospital but not the receiving team: it neither hears nor takes it.
    expect(radiology.frames.filter((f) => f.subject.id === alertId)).toEqual([]);
    expect(await ack(radiology, { alertId })).toMatchObject({ ok: false, error: { code: 'ALERT_NOT_ALLOWED' } });
    expect(await ack(coordinator, { alertId })).toMatchObject({
      ok: true,
      alreadyAcknowledged: false,
      alert: { acknowledgedBy: 'county-coordinator' },
    });
  });
});
