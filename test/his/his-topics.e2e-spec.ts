import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { fromBinary } from '@bufbuild/protobuf';
import { Consumer, Kafka, logLevel } from 'kafkajs';
import request from 'supertest';
import {
  backbonePrincipal,
  CommandAcceptedSchema,
  CommandRejectedSchema,
  hisCommandTopic,
  hisFeedTopic,
  hisGroupPrefix,
  hisPrincipal,
  ReferralRequestedSchema,
  Topics,
  Urgency,
} from '@countylink/contracts';
import { hisCommandMessage } from '@countylink/his-gateway';
import { WireMessage } from '@countylink/messaging';
import { ApacheKafka, startCountyLinkApacheKafka, TestApp, waitFor } from '@countylink/testing';
import { startReferralApp, upReferral } from '../referral-registry/referral-fixtures';

interface Seen {
  topic: string;
  key: string | null;
  headers: Record<string, string>;
  value: Buffer | null;
}

/**
 * Per-institution HIS topics on a secured Apache Kafka of the suite's own (SASL_SSL, SCRAM-SHA-512,
 * the access matrix's ACLs), so that only this suite's app answers its commands and every message
 * on the cluster can be read back at the end: the topic, not a credential, says who sent a command,
 * and each HIS reads only what its institution may see.
 */
describe('HIS topics: a command topic and a feed per institution, held by the broker', () => {
  let kafka: ApacheKafka;
  let app: TestApp;
  const clients: Array<{ disconnect(): Promise<void> }> = [];
  const feeds = new Map<string, Seen[]>();

  const client = (user: string) =>
    new Kafka({
      ...kafka.clientConfig(user),
      logLevel: logLevel.NOTHING,
      connectionTimeout: 3_000,
      retry: { retries: 1, initialRetryTime: 100 },
    });

  async function producerAs(user: string) {
    const p = client(user).producer();
    await p.connect();
    clients.push(p);
    return p;
  }

  /** Reads `topics` from the start as `user`, in a group `user` may use, into `into`. */
  async function readAs(user: string, groupId: string, topics: string[], into: (m: Seen) => void): Promise<Consumer> {
    const c = client(user).consumer({ groupId, sessionTimeout: 6_000, heartbeatInterval: 500, maxWaitTimeInMs: 100 });
    clients.push(c);
    const joined = new Promise<void>((resolve) => c.on(c.events.GROUP_JOIN, () => resolve()));
    await c.connect();
    for (const topic of topics) await c.subscribe({ topic, fromBeginning: true });
    await c.run({
      eachMessage: async ({ topic, message }) => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(message.headers ?? {}))
          if (v !== undefined) headers[k] = (Array.isArray(v) ? v[0] : v).toString();
        into({ topic, key: message.key?.toString() ?? null, headers, value: message.value });
      },
    });
    await joined;
    return c;
  }

  /** The HIS of `institution` reading its own feed, as its own principal. */
  async function followFeed(institution: string): Promise<void> {
    feeds.set(institution, []);
    await readAs(
      hisPrincipal(institution),
      `${hisGroupPrefix(institution)}test-${randomBytes(3).toString('hex')}`,
      [hisFeedTopic(institution)],
      (m) => feeds.get(institution)!.push(m),
    );
  }

  const feedOf = (institution: string) => feeds.get(institution)!;
  const resultsIn = (institution: string, commandId: string) =>
    feedOf(institution).filter((m) => m.headers.ce_subject === `command/${commandId}`);

  /** The kafkajs error a call failed with, under the retrier's wrappers. */
  async function failure(attempt: Promise<unknown>): Promise<{ name: string; type?: string }> {
    try {
      await attempt;
    } catch (err) {
      let e = err as Error & { type?: string; cause?: unknown };
      while (e.cause instanceof Error) e = e.cause as typeof e;
      return { name: e.name, type: e.type };
    }
    throw new Error('expected the call to be refused, and it succeeded');
  }

  const createReferral = (institution: string, patientId: string) =>
    hisCommandMessage(
      'countylink.his-commands.create-referral.v1',
      {
        context: { commandId: randomUUID(), institutionId: institution },
        patient: { patientId, name: '周桂兰' },
        toInstitutionId: 'county-hospital',
        toDepartmentId: 'respiratory',
        urgency: Urgency.URGENT,
        diagnosis: { code: 'J18.9', display: '肺炎' },
        clinicalSummary: '发热咳嗽5天',
        reason: '抗感染效果差',
      },
      `/his/${institution}`,
    );

  async function send(asInstitution: string, topicOf: string, message: WireMessage) {
    await (
      await producerAs(hisPrincipal(asInstitution))
    ).send({ topic: hisCommandTopic(topicOf), acks: -1, messages: [message] });
  }

  beforeAll(async () => {
    kafka = await startCountyLinkApacheKafka(mkdtempSync(join(tmpdir(), 'countylink-his-topics-')), 1, {
      backboneGroupPrefixes: ['countylink.', 'test-'],
    });
    // The app as the standalone principal, which may read every command topic and write every feed.
    app = await startReferralApp({
      kafka: kafka.bootstrapServers,
      env: kafka.clientEnv(backbonePrincipal('standalone')),
    });
    await Promise.all(['township-a', 'township-c', 'county-hospital'].map(followFeed));
  }, 120_000);

  afterAll(async () => {
    for (const c of clients.splice(0)) await c.disconnect().catch(() => undefined);
    await app?.close();
    await kafka?.stop();
  });

  it("refuses his-township-b township A's command topic and township A's feed: TOPIC_AUTHORIZATION_FAILED", async () => {
    const forged = createReferral('township-a', 'TA-FORGED');
    expect(
      await failure(
        (await producerAs(hisPrincipal('township-b'))).send({
          topic: hisCommandTopic('township-a'),
          messages: [forged],
        }),
      ),
    ).toEqual({ name: 'KafkaJSProtocolError', type: 'TOPIC_AUTHORIZATION_FAILED' });
    const c = client(hisPrincipal('township-b')).consumer({
      groupId: `${hisGroupPrefix('township-b')}probe-${randomBytes(3).toString('hex')}`,
    });
    clients.push(c);
    await c.connect();
    expect(await failure(c.subscribe({ topic: hisFeedTopic('township-a'), fromBeginning: true }))).toEqual({
      name: 'KafkaJSProtocolError',
      type: 'TOPIC_AUTHORIZATION_FAILED',
    });
  });

  it("acts for township A only, answers exactly once on township A's feed, and keeps township C's referral off it", async () => {
    const mine = createReferral('township-a', `TA-${randomBytes(3).toString('hex')}`);
    const theirs = createReferral('township-c', `TC-${randomBytes(3).toString('hex')}`);
    await send('township-a', 'township-a', mine);
    await send('township-c', 'township-c', theirs);

    const [result] = await waitFor(
      'township A’s result',
      () =>
        resultsIn('township-a', mine.headers.ce_id).length ? resultsIn('township-a', mine.headers.ce_id) : undefined,
      30_000,
    );
    expect(result).toMatchObject({
      topic: hisFeedTopic('township-a'),
      key: 'township-a',
      headers: { ce_type: 'countylink.his-results.command-accepted.v1' },
    });
    const { referralId: mineId, ...accepted } = (() => {
      const payload = fromBinary(CommandAcceptedSchema, result.value!);
      return {
        referralId: payload.resultingIds.referral_id,
        institutionId: payload.institutionId,
        commandId: payload.commandId,
      };
    })();
    expect(accepted).toEqual({ institutionId: 'township-a', commandId: mine.headers.ce_id });
    const theirsResult = await waitFor(
      'township C’s result',
      () => resultsIn('township-c', theirs.headers.ce_id)[0],
      30_000,
    );
    const theirsId = fromBinary(CommandAcceptedSchema, theirsResult.value!).resultingIds.referral_id;

    // The county, receiver of both, sees both referrals on its feed: by then township A's feed has had every copy it will get.
    const requestedOn = (institution: string, referralId: string) =>
      feedOf(institution).filter(
        (m) => m.key === referralId && m.headers.ce_type === 'countylink.referral.requested.v1',
      );
    await waitFor(
      'both referrals on the county feed',
      () => requestedOn('county-hospital', mineId).length && requestedOn('county-hospital', theirsId).length,
      30_000,
    );
    const [copy] = await waitFor(
      'township A’s referral on its feed',
      () => (requestedOn('township-a', mineId).length ? requestedOn('township-a', mineId) : undefined),
      30_000,
    );
    const referral = fromBinary(ReferralRequestedSchema, copy.value!).referral!;
    expect({
      from: referral.fromInstitutionId,
      actor: fromBinary(ReferralRequestedSchema, copy.value!).actor?.subject,
    }).toEqual({ from: 'township-a', actor: 'his-township-a' });
    expect(feedOf('township-a').filter((m) => m.key === theirsId)).toEqual([]);
    expect(feedOf('township-c').filter((m) => m.key === mineId)).toEqual([]);
    expect(resultsIn('township-a', mine.headers.ce_id)).toHaveLength(1);
    expect(resultsIn('township-c', mine.headers.ce_id)).toEqual([]);
  });

  it("refuses a command naming another institution than its topic's, answering only its sender", async () => {
    const foreign = createReferral('township-c', 'TA-FOREIGN');
    // Township A's HIS, on its own topic, with a key and context of township C's.
    await send('township-a', 'township-a', { ...foreign, key: 'township-a' });
    const result = await waitFor('the refusal', () => resultsIn('township-a', foreign.headers.ce_id)[0], 30_000);
    expect(fromBinary(CommandRejectedSchema, result.value!)).toMatchObject({
      code: 'COMMAND_NOT_ALLOWED',
      institutionId: 'township-a',
      message: expect.stringMatching(/names township-c, but came on the command topic of township-a/),
    });
    expect(resultsIn('township-c', foreign.headers.ce_id)).toEqual([]);
  });

  it("runs the HIS simulator as township A's principal: its command on its topic, the result read from its feed", async () => {
    const root = resolve(__dirname, '../..');
    const { stdout } = await promisify(execFile)(
      'node',
      [
        join(root, 'scripts/run-ts.js'),
        join(root, 'apps/his-simulator/src/his-sim.ts'),
        'township-a',
        'refer',
        'county-hospital',
        'cardiology',
        'urgent',
        'I20.0',
        'TA-SIM-1',
        '李明',
        '反复胸痛',
      ],
      {
        cwd: root,
        timeout: 90_000,
        env: { PATH: process.env.PATH, ...kafka.clientEnv(hisPrincipal('township-a')) },
      },
    );
    expect(stdout).toMatch(/sent countylink\.his-commands\.create-referral\.v1 command [0-9a-f-]{36}/);
    expect(stdout).toMatch(
      /countylink\.his-feed\.v1\.township-a countylink\.his-results\.command-accepted\.v1 key=township-a/,
    );
    expect(stdout).toMatch(/"referral_id":"[0-9a-f-]{36}"/);
  }, 120_000);

  it('puts no token and no clear identity number in any message on any topic', async () => {
    // A referral made over HTTP with an identity number: its events and feed copies carry only the HMAC.
    const identityNumber = '11010519491231002X';
    const made = await request(app.url)
      .post('/api/referrals')
      .set('Authorization', `Bearer ${await app.token('township-a-doctor')}`)
      .set('Idempotency-Key', randomUUID())
      .send(upReferral({ patient: { patientId: 'TA-ID-1', name: '王建国', sex: 'male', identityNumber } }));
    expect(made.status).toBe(201);
    await waitFor(
      'the HTTP referral on township A’s feed',
      () => feedOf('township-a').find((m) => m.key === made.body.id),
      30_000,
    );

    const admin = new Kafka({ ...kafka.clientConfig(kafka.security!.adminUser), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    const topics = (await admin.listTopics()).filter((t) => !t.startsWith('__'));
    const ends = new Map<string, number>();
    for (const topic of topics) {
      const total = (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
      if (total > 0) ends.set(topic, total);
    }
    await admin.disconnect();
    const all: Seen[] = [];
    await readAs(kafka.security!.adminUser, `audit-${randomBytes(3).toString('hex')}`, [...ends.keys()], (m) =>
      all.push(m),
    );
    await waitFor(
      'every message on the cluster',
      () => [...ends].every(([topic, n]) => all.filter((m) => m.topic === topic).length >= n),
      30_000,
    );

    expect([...ends.keys()]).toEqual(
      expect.arrayContaining([
        Topics.referral,
        hisCommandTopic('township-a'),
        hisFeedTopic('township-a'),
        hisFeedTopic('county-hospital'),
      ]),
    );
    const text = (m: Seen) =>
      [m.key ?? '', ...Object.entries(m.headers).flat(), m.value?.toString('latin1') ?? ''].join('\n');
    const suspicious = all.filter(
      (m) => /eyJ[\w-]{8,}|Bearer|token/i.test(text(m)) || text(m).includes(identityNumber),
    );
    expect(suspicious.map((m) => `${m.topic} ${m.headers.ce_type}`)).toEqual([]);
  });
});
